// Package firmware holds everything that goes onto the Raspberry Pi besides
// the numsense binary, embedded so that the binary can print it (for example
// "numsense config default"):
//
//   - Unit, the systemd service (numsense.service): Type=notify with a 30 s
//     watchdog, restarted forever, run as the unprivileged user numsense
//     with the groups video and i2c, and sandboxed (read-only system, no
//     capabilities, a device allow list of video4linux, i2c and, for the Pi
//     camera, media and dma_heap).
//   - DefaultConfig, the settings file installed as ConfigPath
//     (numsense.toml), every key shown with its default.
//   - BootConfig, the config.txt lines that switch on the Pi's I2C bus 1.
//
// kiosk/ holds the kiosk for a wall screen: numsense-kiosk, which starts Chromium
// full screen at the local web page (display.driver "web") and restarts it, and
// numsense-kiosk.desktop, the autostart entry that runs it at desktop login.
//
// The directory also holds the packaging ("make deb"):
//   - version.sh, the version from the git tags (1.2.0, 1.2.0+gitDATE.N.HASH,
//     0.0.0~gitDATE.N.HASH), both what the binary prints and a Debian version;
//   - build-deb.sh, which packages a cross-compiled binary with these files, its
//     man page and its copyright file into numsense_VERSION-1_ARCH.deb (arm64,
//     or armhf with the ARMv6 binary) through debhelper, reproducibly;
//   - debian/: the control file, the changelog of releases, the maintainer
//     scripts (debhelper puts its deb-systemd-helper lines at their #DEBHELPER#
//     marker) and the lintian overrides, each with its reason;
//   - manpage, which renders numsense(1) from the --help texts ("numsense help
//     --man"), and notices, the program that writes the copyright file from the
//     Go modules linked into the binary and their licence files;
//   - deploy.sh, which installs a package on a Pi over ssh.
//
// The tests build packages from a stand-in binary and check their contents,
// times and owners, that two builds are identical, the changelog rules and
// the rejections; run the maintainer scripts against logging stand-ins for
// useradd and deb-systemd-helper; check that make deploy checks HOST before
// building; and check the unit with systemd-analyze verify where it is
// installed. "make deb-check" runs lintian on the real packages and builds
// them twice.
//
// Facts the files rely on:
//   - systemd treats only whole lines starting with '#' or ';' as comments;
//     "Key=value # note" makes the note part of the value.
//   - PrivateDevices=yes hides /dev/video* and /dev/i2c-*, and
//     PrivateUsers=yes maps the supplementary groups to nobody; both would
//     cut the service off from its hardware.
//   - On a watchdog timeout systemd sends SIGABRT, and with GOTRACEBACK=all
//     the Go runtime then prints every goroutine to the journal.
//   - Raspberry Pi OS's armhf is built for ARMv6 (Pi Zero, Pi 1); a GOARM=7
//     Go binary dies there with "illegal instruction", so the package's
//     preinst refuses to install one on an armv6l CPU.
//   - I2C bus 1 (GPIO 2 and 3) is off until dtparam=i2c_arm=on is in
//     /boot/firmware/config.txt (Bookworm and later; /boot/config.txt
//     before) and the Pi has rebooted.
package firmware

import _ "embed" // for the go:embed directives below

// Where the package installs the files, and where the Pi firmware reads
// its configuration.
const (
	UnitPath       = "/lib/systemd/system/numsense.service"
	ConfigPath     = "/etc/numsense/numsense.toml"
	BinaryPath     = "/usr/bin/numsense"
	BootConfigPath = "/boot/firmware/config.txt"
)

// Unit is the systemd service file numsense.service.
//
//go:embed numsense.service
var Unit string

// DefaultConfig is the default settings file numsense.toml, installed as
// ConfigPath. Parsing it must give the same settings as no file at all.
//
//go:embed numsense.toml
var DefaultConfig string

// BootConfig is the fragment of the Pi's config.txt that enables I2C; it
// says itself where it goes.
//
//go:embed config.txt
var BootConfig string
