package report

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"time"

	"github.com/numsense/numsense/model/atomicfile"
	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
)

// A part file holds the networks of one shard of a reproduction run
// (numsense reproduce --shard i/N -o PART): partMagic, then the Part encoded
// with encoding/gob, which keeps every float64 bit for bit (NaN included), so
// that merging parts gives exactly the report one run gives.
const (
	partMagic   = "numsense reproduce part\n"
	partVersion = 2 // 2: the population study
)

// Params are the options that decide a run's results: every part of one report
// must have the same.
type Params struct {
	Networks, Images, AreaImages, FloatImages, CalibImages int
	Seed                                                   uint64
	Dice, Monkey                                           string
	Task                                                   numunits.TaskOpts
	SummationTrials, Population, StudyScenes               int
}

func (o Options) params() Params {
	return Params{Networks: o.Networks, Images: o.Images, AreaImages: o.AreaImages, FloatImages: o.FloatImages, CalibImages: o.CalibImages,
		Seed: o.Seed, Dice: o.Dice, Monkey: o.Monkey, Task: o.Task, SummationTrials: o.SummationTrials,
		Population: o.Population, StudyScenes: o.StudyScenes}
}

func (p Params) options() Options {
	return Options{Networks: p.Networks, Images: p.Images, AreaImages: p.AreaImages, FloatImages: p.FloatImages, CalibImages: p.CalibImages,
		Seed: p.Seed, Dice: p.Dice, Monkey: p.Monkey, Task: p.Task, SummationTrials: p.SummationTrials,
		Population: p.Population, StudyScenes: p.StudyScenes}
}

// Part is what one shard computed: the summaries of networks First ..
// First+len(Nets)-1, and on the shard holding network 0 its decoders and photo
// estimates.
type Part struct {
	Version       int
	Params        Params
	Shard, Shards int
	First         int
	Nets          []NetSummary
	Decoders      *DecoderSummary
	Photos        []experiment.PhotoEstimate
	// Population is the population study, on the shard of network 0.
	Population []experiment.StudyPoint
	Monkey     []numunits.MonkeyRow
	// Seconds is the shard's computing time (a timing field).
	Seconds float64
}

// Encode encodes p as a part file. (Not MarshalBinary: gob would call it for
// the Part itself.)
func (p *Part) Encode() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(partMagic)
	if err := gob.NewEncoder(&b).Encode(p); err != nil {
		return nil, fmt.Errorf("report: encode part: %w", err)
	}
	return b.Bytes(), nil
}

// ErrNotPart is wrapped by Decode when data is not a part file.
var ErrNotPart = errors.New("not a numsense reproduce part file")

// Decode decodes a part file written by Encode into p.
func (p *Part) Decode(data []byte) error {
	if !bytes.HasPrefix(data, []byte(partMagic)) {
		return ErrNotPart
	}
	var q Part
	if err := gob.NewDecoder(bytes.NewReader(data[len(partMagic):])).Decode(&q); err != nil {
		return fmt.Errorf("%w: %v", ErrNotPart, err)
	}
	if q.Version != partVersion {
		return fmt.Errorf("part version %d, this build reads %d", q.Version, partVersion)
	}
	*p = q
	return nil
}

// RunShard runs shard i of n (networks [i*Networks/n, (i+1)*Networks/n)) and
// writes them into the part file path; numsense reproduce merge makes the
// report. path may replace an earlier part file, never any other file.
func RunShard(o Options, shard, shards int, path string) (*Part, error) {
	if err := checkPartTarget(path); err != nil {
		return nil, err
	}
	p, err := runPart(o, shard, shards)
	if err != nil {
		return nil, err
	}
	b, err := p.Encode()
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(path, b); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return p, nil
}

// checkPartTarget refuses to overwrite a file that is not a part file.
func checkPartTarget(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("report: %s is not a regular file: refusing to write a part there", path)
	}
	head := make([]byte, len(partMagic))
	if n, _ := io.ReadFull(f, head); n != len(head) || string(head) != partMagic {
		return fmt.Errorf("report: %s exists and is not a part file: refusing to overwrite it", path)
	}
	return nil
}

// Merge reads the part files of every shard of one run and writes the report
// into dir, exactly as one run of all networks would (timing fields aside).
func Merge(paths []string, dir string) (*Summary, error) {
	if err := atomicfile.CheckDir(dir); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if len(paths) == 0 {
		return nil, errors.New("report: merge: no part files")
	}
	parts := make([]*Part, len(paths))
	for i, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		parts[i] = &Part{}
		if err := parts[i].Decode(b); err != nil {
			return nil, fmt.Errorf("report: %s: %w", path, err)
		}
	}
	return merge(parts, paths, dir)
}

// combine checks that parts are the shards of one run, each exactly once, and
// joins them into a Summary (without the aggregate).
func combine(parts []*Part, names []string) (*Summary, error) {
	p0 := parts[0]
	byShard := make([]*Part, p0.Shards)
	for i, p := range parts {
		switch {
		case !reflect.DeepEqual(p.Params, p0.Params):
			return nil, fmt.Errorf("report: %s was run with other options than %s (%+v vs %+v)", names[i], names[0], p.Params, p0.Params)
		case p.Shards != p0.Shards || p.Shard < 0 || p.Shard >= p.Shards:
			return nil, fmt.Errorf("report: %s is shard %d/%d, %s of %d shards", names[i], p.Shard, p.Shards, names[0], p0.Shards)
		case byShard[p.Shard] != nil:
			return nil, fmt.Errorf("report: shard %d/%d given twice (%s)", p.Shard, p.Shards, names[i])
		case !reflect.DeepEqual(p.Monkey, p0.Monkey):
			return nil, fmt.Errorf("report: %s compares with another monkey reference than %s", names[i], names[0])
		}
		lo, hi := shardRange(p.Shard, p.Shards, p.Params.Networks)
		if p.First != lo || len(p.Nets) != hi-lo {
			return nil, fmt.Errorf("report: %s holds networks %d..%d, shard %d/%d should hold %d..%d", names[i], p.First, p.First+len(p.Nets)-1, p.Shard, p.Shards, lo, hi-1)
		}
		byShard[p.Shard] = p
	}
	var missing []int
	for i, p := range byShard {
		if p == nil {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("report: shards %v of %d missing", missing, p0.Shards)
	}
	s := &Summary{Options: p0.Params.options(), Monkey: p0.Monkey}
	secs := 0.0
	for _, p := range byShard {
		s.Nets = append(s.Nets, p.Nets...)
		if p.Decoders != nil {
			s.Decoders, s.Photos = p.Decoders, p.Photos
		}
		if len(p.Population) > 0 {
			s.Population = p.Population
		}
		secs += p.Seconds
	}
	sort.SliceStable(s.Nets, func(a, b int) bool { return s.Nets[a].Index < s.Nets[b].Index })
	s.Elapsed = time.Duration(secs * float64(time.Second))
	return s, nil
}
