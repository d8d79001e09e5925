//go:build !linux

package display

import "errors"

// ListI2C lists I²C buses; it needs Linux's /dev/i2c-* interface.
func ListI2C() ([]BusInfo, error) {
	return nil, errors.New("display: I²C scanning needs Linux (/dev/i2c-*)")
}
