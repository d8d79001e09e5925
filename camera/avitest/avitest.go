// Package avitest builds AVI files (RIFF "AVI ", a main header and a movi list of
// chunks) for the tests of the recorded sources and of what replays them. It holds
// no numsense code: only the RIFF layout the camera package reads.
package avitest

import "encoding/binary"

// Chunk is a RIFF chunk: id, the little-endian size of data, data, and a pad byte
// when the size is odd.
func Chunk(id string, data []byte) []byte {
	out := RawChunk(id, uint32(len(data)), data)
	if len(data)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

// RawChunk is a chunk whose declared size need not be len(data) and that is never
// padded: for files that lie about their sizes.
func RawChunk(id string, size uint32, data []byte) []byte {
	out := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], size)
	return append(out, data...)
}

// List is a LIST chunk of the given type holding body.
func List(typ string, body []byte) []byte { return Chunk("LIST", append([]byte(typ), body...)) }

// File is an AVI whose main header says usPerFrame microseconds per frame (0: not
// said) and whose movi list holds movi (chunks such as Chunk("00dc", jpeg)).
func File(usPerFrame uint32, movi []byte) []byte {
	avih := make([]byte, 56)
	binary.LittleEndian.PutUint32(avih, usPerFrame)
	return Chunk("RIFF", append([]byte("AVI "), append(List("hdrl", Chunk("avih", avih)), List("movi", movi)...)...))
}

// MJPEG is an AVI of the JPEG frames, one 00dc chunk each, with no frame rate.
func MJPEG(frames ...[]byte) []byte {
	var movi []byte
	for _, f := range frames {
		movi = append(movi, Chunk("00dc", f)...)
	}
	return File(0, movi)
}
