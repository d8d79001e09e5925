#!/bin/sh
# build-deb.sh VERSION ARCH BINARY OUTDIR
#
# Builds OUTDIR/numsense_VERSION_ARCH.deb for Raspberry Pi OS / Debian from
# an already cross-compiled numsense binary:
#
#   /usr/bin/numsense                      BINARY
#   /lib/systemd/system/numsense.service   firmware/numsense.service
#   /etc/numsense/numsense.toml            firmware/numsense.toml (a conffile)
#   /usr/share/doc/numsense/               README, copyright, config.txt
#   /usr/bin/numsense-kiosk                firmware/kiosk/numsense-kiosk
#   /usr/share/numsense/kiosk/             numsense-kiosk.desktop (autostart entry)
#
# plus the maintainer scripts in firmware/debian/. The boot configuration
# (I2C) is never touched; config.txt is shipped as documentation.
#
# VERSION  a leading "v" is dropped and "-" becomes "+" (git describe output
#          such as v1.2.0-3-gabc1234-dirty gives 1.2.0+3+gabc1234+dirty); a
#          bare commit hash (git describe --always without tags) or a version
#          not starting with a digit ("dev") becomes 0.0.0~VERSION, which
#          sorts before every release.
# ARCH     arm64 or armhf (Debian architecture names)
# BINARY   an ELF executable for ARCH; checked, so a mixed-up binary fails here
# OUTDIR   created if missing; the .deb is written to a temporary name first
#
# Needs dpkg-deb (Debian, Ubuntu: package dpkg), od, grep, du, md5sum.
# NUMSENSE_MAINTAINER overrides the Maintainer field.
set -eu

die() {
    echo "build-deb.sh: $*" >&2
    exit 1
}

[ "$#" -eq 4 ] || die "usage: build-deb.sh VERSION ARCH BINARY OUTDIR (ARCH: arm64 or armhf)"
version_arg=$1
arch=$2
binary=$3
outdir=$4

here=$(cd "$(dirname "$0")" && pwd)
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (install the dpkg package)"

# The ELF header fields that tell the architectures apart:
# EI_CLASS (byte 4: 1 = 32-bit, 2 = 64-bit) and e_machine (bytes 18-19,
# little-endian: 40 = EM_ARM, 183 = EM_AARCH64).
case $arch in
arm64) want_class=2 want_machine=183 ;;
armhf) want_class=1 want_machine=40 ;;
*) die "ARCH '$arch' is not supported; use arm64 or armhf" ;;
esac

version=${version_arg#v}
[ -n "$version" ] || die "VERSION is empty"
# git describe --always gives a bare commit hash when there is no tag; it
# may well start with a digit, so recognise it by its shape.
if printf '%s\n' "$version" | grep -Eqx '[0-9a-f]{7,40}(-dirty)?'; then
    version=0.0.0~$version
fi
case $version in
[0-9]*) ;;
*) version=0.0.0~$version ;;
esac
version=$(printf '%s' "$version" | tr '-' '+')
case $version in
*[!A-Za-z0-9.+~]*) die "VERSION '$version_arg' has characters a Debian version cannot hold (allowed: letters, digits, . + ~ -)" ;;
esac

[ -f "$binary" ] || die "BINARY '$binary': no such file"
[ -r "$binary" ] || die "BINARY '$binary': not readable"
magic=$(od -An -tx1 -N4 "$binary" | tr -d ' \n')
[ "$magic" = 7f454c46 ] || die "BINARY '$binary' is not an ELF executable"
class=$(od -An -tu1 -j4 -N1 "$binary" | tr -d ' \n')
# shellcheck disable=SC2046 # two numbers, split on purpose
set -- $(od -An -tu1 -j18 -N2 "$binary")
machine=$(($1 + 256 * $2))
if [ "$class" != "$want_class" ] || [ "$machine" != "$want_machine" ]; then
    die "BINARY '$binary' is an ELF for another architecture (class $class, machine $machine), not $arch"
fi

# Raspberry Pi OS armhf runs on ARMv6 boards too; remember whether this
# binary needs ARMv7 so that preinst can refuse it on a Pi Zero or Pi 1.
needs_armv7=no
if [ "$arch" = armhf ]; then
    goarm=$(LC_ALL=C grep -a -o 'GOARM=[0-9]' "$binary" | head -n 1 || true)
    case $goarm in
    GOARM=7) needs_armv7=yes ;;
    GOARM=[56]) ;;
    *) echo "build-deb.sh: warning: cannot tell the GOARM level of '$binary'; not guarding against ARMv6 boards" >&2 ;;
    esac
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/numsense-deb.XXXXXX")
partial=
cleanup() {
    rm -rf "$stage"
    if [ -n "$partial" ]; then rm -f "$partial"; fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
umask 022
chmod 0755 "$stage"

install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/lib/systemd/system" \
    "$stage/etc/numsense" "$stage/usr/share/doc/numsense"
install -m 0755 "$binary" "$stage/usr/bin/numsense"
install -m 0644 "$here/numsense.service" "$stage/lib/systemd/system/numsense.service"
install -m 0644 "$here/numsense.toml" "$stage/etc/numsense/numsense.toml"
install -m 0644 "$here/debian/README" "$here/debian/copyright" "$here/config.txt" \
    "$stage/usr/share/doc/numsense/"
# The kiosk: Chromium full screen at the local page (docs/pi-setup.md, "Kiosk").
install -d "$stage/usr/share/numsense/kiosk"
install -m 0755 "$here/kiosk/numsense-kiosk" "$stage/usr/bin/numsense-kiosk"
install -m 0644 "$here/kiosk/numsense-kiosk.desktop" "$stage/usr/share/numsense/kiosk/"
for script in postinst prerm postrm; do
    install -m 0755 "$here/debian/$script" "$stage/DEBIAN/$script"
done
sed "s/@NEEDS_ARMV7@/$needs_armv7/" "$here/debian/preinst" >"$stage/DEBIAN/preinst"
chmod 0755 "$stage/DEBIAN/preinst"
echo /etc/numsense/numsense.toml >"$stage/DEBIAN/conffiles"
(cd "$stage" && find usr lib -type f -exec md5sum {} + | sort -k 2) >"$stage/DEBIAN/md5sums"

installed_size=$(du -sk "$stage/usr" "$stage/lib" "$stage/etc" | awk '{s += $1} END {print s}')
cat >"$stage/DEBIAN/control" <<CONTROL
Package: numsense
Version: $version
Architecture: $arch
Maintainer: ${NUMSENSE_MAINTAINER:-numsense developers <numsense@example.invalid>}
Installed-Size: $installed_size
Depends: passwd
Recommends: i2c-tools
Suggests: rpicam-apps
Section: misc
Priority: optional
Homepage: https://github.com/numsense/numsense
Description: visual number sense for a Raspberry Pi camera
 numsense looks at objects on a table through a camera and shows about how
 many there are on a small I2C display. A randomly initialised, int8
 quantised AlexNet (conv1 to conv5) reads each frame; number-selective units
 of its last layer are decoded to an estimate such as "about 12".
 .
 The package installs the program, a hardened systemd service that starts at
 boot, a documented settings file and the system user numsense. It does not
 switch on I2C; see /usr/share/doc/numsense/README.
CONTROL

mkdir -p "$outdir"
final="$outdir/numsense_${version}_${arch}.deb"
partial=$(mktemp "$outdir/.numsense_${version}_${arch}.deb.XXXXXX")
dpkg-deb --build --root-owner-group "$stage" "$partial" >/dev/null
chmod 0644 "$partial"
mv -f "$partial" "$final"
partial=
echo "$final"
