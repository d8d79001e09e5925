//go:build linux

package display

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ioctlI2CSlave is I2C_SLAVE from linux/i2c-dev.h: select the address of
// later read()/write() calls; fails with EBUSY when a kernel driver owns it.
const ioctlI2CSlave = 0x0703

// ListI2C lists the I²C buses (/dev/i2c-*) and the addresses that answer,
// for `numsense devices`.
//
// Probing follows `i2cdetect -r`: for each address 0x08..0x77 it selects the
// address without forcing (so addresses claimed by a kernel driver are
// skipped and reported as Busy) and reads one byte. Risk: a read is not
// entirely harmless. A chip that is mid-transaction or treats any access as a
// command (some EEPROM write-protect schemes, a few sensors and PMICs) can
// change state; on the Pi header bus with displays and common breakouts this
// is safe, which is why the scan is a user command and never runs on its own.
func ListI2C() ([]BusInfo, error) {
	nodes, _ := filepath.Glob("/dev/i2c-*")
	if len(nodes) == 0 {
		return nil, errors.New("display: no I²C bus: /dev/i2c-* does not exist; enable I²C (dtparam=i2c_arm=on in /boot/firmware/config.txt, or raspi-config nonint do_i2c 0) and reboot")
	}
	var out []BusInfo
	for _, n := range nodes {
		num, err := strconv.Atoi(strings.TrimPrefix(n, "/dev/i2c-"))
		if err != nil {
			continue
		}
		bi := BusInfo{Name: n, Number: num}
		f, err := os.OpenFile(n, os.O_RDWR, 0)
		if err != nil {
			bi.Err = fmt.Errorf("%s: %w (is the user in group i2c?)", n, err)
			out = append(out, bi)
			continue
		}
		addrs, busy, err := scan(&devProber{fd: int(f.Fd())})
		f.Close()
		bi.Addrs, bi.Busy = addrs, busy
		if err != nil {
			bi.Err = fmt.Errorf("%s: %w", n, err)
		}
		out = append(out, bi)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

type devProber struct {
	fd  int
	buf [1]byte
}

func (p *devProber) claim(addr uint16) (bool, error) {
	err := unix.IoctlSetInt(p.fd, ioctlI2CSlave, int(addr))
	if errors.Is(err, unix.EBUSY) {
		return true, nil
	}
	return false, err
}

func (p *devProber) read() error {
	_, err := unix.Read(p.fd, p.buf[:])
	return err
}
