package display

import (
	"testing"

	"periph.io/x/conn/v3/driver/driverreg"
)

// TestPeriphRegistryLoads guards the driver imports of open.go: if any registered
// periph driver lacks a prerequisite, driverreg.Init refuses to load every driver,
// the I2C buses included, and no hardware display could ever open.
func TestPeriphRegistryLoads(t *testing.T) {
	if _, err := driverreg.Init(); err != nil {
		t.Fatalf("periph driver registry: %v", err)
	}
}
