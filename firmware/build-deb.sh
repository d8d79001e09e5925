#!/bin/sh
# build-deb.sh VERSION ARCH BINARY MANPAGE COPYRIGHT OUTDIR
#
# Builds OUTDIR/numsense_VERSION-1_ARCH.deb for Raspberry Pi OS / Debian from
# an already cross-compiled numsense binary, with debhelper, the way a
# debian/rules using dh would package it:
#
#   /usr/bin/numsense                        BINARY
#   /usr/share/man/man1/numsense.1.gz        MANPAGE ("numsense help --man")
#   /lib/systemd/system/numsense.service     firmware/numsense.service
#   /etc/numsense/numsense.toml              firmware/numsense.toml (a conffile)
#   /usr/share/doc/numsense/copyright        COPYRIGHT (go run ./firmware/notices)
#   /usr/share/doc/numsense/changelog.Debian.gz, README, config.txt
#   /usr/share/lintian/overrides/numsense    firmware/debian/lintian-overrides
#   /usr/libexec/numsense/numsense-kiosk     firmware/kiosk/numsense-kiosk
#   /usr/share/numsense/kiosk/               numsense-kiosk.desktop (autostart entry)
#
# The maintainer scripts are firmware/debian/{preinst,postinst,prerm,postrm}
# with debhelper's lines for the service (dh_installsystemd: deb-systemd-helper
# and deb-systemd-invoke) put in place of their #DEBHELPER# marker. The boot
# configuration (I2C) is never touched; config.txt is shipped as documentation.
# "make deb" runs this script with the files it has made; see the Makefile.
#
# VERSION  the upstream version, as firmware/version.sh prints it (1.2.0,
#          1.2.0+git20251203.3.b0d34b2abcde, 0.0.0~git20251203.412.b0d34b2abcde);
#          the package version appends the Debian revision -1
#          (NUMSENSE_DEB_REVISION overrides the 1). A release version (no
#          "git" in it) needs its entry at the top of firmware/debian/changelog;
#          a snapshot gets a generated entry on top of that file's entries.
# ARCH     arm64 or armhf (Debian architecture names)
# BINARY   an ELF executable for ARCH; checked, so a mixed-up binary fails here
# MANPAGE  the manual page numsense(1), roff source
# COPYRIGHT the machine-readable copyright file of BINARY
# OUTDIR   created if missing; the .deb is written to a temporary name first
#
# Reproducible: every file gets the time SOURCE_DATE_EPOCH (required; make deb
# sets it to the last commit's time), root ownership, fixed modes, a sorted
# order and single-threaded xz compression, so the same inputs give the same
# bytes whatever the checkout's mtimes, the umask or the machine's core count.
#
# Needs dpkg-deb, dpkg-architecture (dpkg-dev) and debhelper ("make deb-tools"
# installs them), od, grep, sed, GNU date and touch. No root needed.
# NUMSENSE_MAINTAINER overrides the Maintainer field and the changelog trailer.
set -eu

die() {
    echo "build-deb.sh: $*" >&2
    exit 1
}

[ "$#" -eq 6 ] || die "usage: build-deb.sh VERSION ARCH BINARY MANPAGE COPYRIGHT OUTDIR (ARCH: arm64 or armhf)"
version=$1
arch=$2
binary=$3
manpage=$4
copyright=$5
outdir=$6
revision=${NUMSENSE_DEB_REVISION:-1}

here=$(cd "$(dirname "$0")" && pwd)
for tool in dpkg-deb dpkg-architecture dh_installdeb dh_installsystemd dh_gencontrol dh_builddeb; do
    command -v "$tool" >/dev/null ||
        die "$tool not found: install debhelper and dpkg-dev (make deb-tools, or apt-get install debhelper dpkg-dev)"
done

# The ELF header fields that tell the architectures apart:
# EI_CLASS (byte 4: 1 = 32-bit, 2 = 64-bit) and e_machine (bytes 18-19,
# little-endian: 40 = EM_ARM, 183 = EM_AARCH64).
case $arch in
arm64) want_class=2 want_machine=183 ;;
armhf) want_class=1 want_machine=40 ;;
*) die "ARCH '$arch' is not supported; use arm64 or armhf" ;;
esac

[ -n "$version" ] || die "VERSION is empty"
printf '%s\n' "$version" | grep -Eqx '[0-9][A-Za-z0-9.+~]*' ||
    die "VERSION '$version' is not a Debian upstream version (a digit first, then letters, digits, . + ~); firmware/version.sh prints one"
printf '%s\n' "$revision" | grep -Eqx '[A-Za-z0-9.+~]+' ||
    die "NUMSENSE_DEB_REVISION '$revision' is not a Debian revision (letters, digits, . + ~)"
debversion=$version-$revision
case $version in
*git* | *unknown*) snapshot=yes ;;
*) snapshot=no ;;
esac

case ${SOURCE_DATE_EPOCH:-} in
'' | *[!0-9]*) die "SOURCE_DATE_EPOCH='${SOURCE_DATE_EPOCH:-}' must be set to seconds since 1970 (make deb sets it to the last commit's time: git log -1 --format=%ct)" ;;
esac
export SOURCE_DATE_EPOCH

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
[ -f "$manpage" ] || die "MANPAGE '$manpage': no such file"
grep -q '^\.TH ' "$manpage" || die "MANPAGE '$manpage' is not a manual page (no .TH line)"
[ -f "$copyright" ] || die "COPYRIGHT '$copyright': no such file"
head -n 1 "$copyright" | grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
    die "COPYRIGHT '$copyright' is not a machine-readable copyright file (no Format: line)"

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

maintainer=${NUMSENSE_MAINTAINER:-$(sed -n 's/^Maintainer: //p' "$here/debian/control")}
case $maintainer in
*[!\ -~]* | '' | *'|'*) die "NUMSENSE_MAINTAINER '$maintainer' must be one line of printable ASCII without '|'" ;;
esac

# The package gets the caller's umask for its file in OUTDIR; everything
# inside it gets fixed modes.
out_mode=$(printf '%o' $((0666 & ~$(umask))))
stage=$(mktemp -d "${TMPDIR:-/tmp}/numsense-deb.XXXXXX")
partial=
cleanup() {
    rm -rf "$stage"
    if [ -n "$partial" ]; then rm -f "$partial"; fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
umask 022

# ---- the source directory debhelper works in ----
src=$stage/numsense
pkg=$src/debian/numsense
mkdir -p "$src/debian" "$pkg"
sed "s|^Maintainer: .*|Maintainer: $maintainer|" "$here/debian/control" >"$src/debian/control"
cp "$copyright" "$src/debian/copyright"
for script in postinst prerm postrm; do
    cp "$here/debian/$script" "$src/debian/numsense.$script"
done
sed "s/@NEEDS_ARMV7@/$needs_armv7/" "$here/debian/preinst" >"$src/debian/numsense.preinst"
cp "$here/debian/README" "$here/config.txt" "$src/"
printf 'README\nconfig.txt\n' >"$src/debian/numsense.docs"
cp "$manpage" "$src/numsense.1"
echo numsense.1 >"$src/debian/numsense.manpages"
cp "$here/debian/lintian-overrides" "$src/debian/numsense.lintian-overrides"

# The changelog: firmware/debian/changelog without its comment lines, under a
# generated entry when this is a snapshot.
entries=$(grep -v '^#' "$here/debian/changelog" | sed '/./,$!d')
top=$(printf '%s\n' "$entries" | sed -n 's/^numsense (\([^)]*\)).*/\1/p' | head -n 1)
if [ "$top" = "$debversion" ]; then
    printf '%s\n' "$entries" >"$src/debian/changelog"
elif [ "$snapshot" = no ]; then
    die "firmware/debian/changelog has no entry for the release $debversion at its top (it has '${top:-none}'): add one before packaging a release"
else
    {
        echo "numsense ($debversion) UNRELEASED; urgency=medium"
        echo
        echo "  * Development snapshot, built from git: the changes since the last"
        echo "    release are in the git history."
        echo
        echo " -- $maintainer  $(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")"
        if [ -n "$entries" ]; then
            echo
            printf '%s\n' "$entries"
        fi
    } >"$src/debian/changelog"
fi
if [ "$(grep -c '^numsense (' "$src/debian/changelog")" = 1 ]; then
    cat >>"$src/debian/numsense.lintian-overrides" <<'OVERRIDE'

# numsense is not uploaded to Debian, so there is no ITP bug for the first
# changelog entry to close.
numsense: initial-upload-closes-no-bugs [usr/share/doc/numsense/changelog.Debian.gz:1]
OVERRIDE
fi

# ---- the files of the package ----
install -D -m 0755 "$binary" "$pkg/usr/bin/numsense"
install -D -m 0644 "$here/numsense.service" "$pkg/lib/systemd/system/numsense.service"
install -D -m 0644 "$here/numsense.toml" "$pkg/etc/numsense/numsense.toml"
# The kiosk: Chromium full screen at the local page (docs/pi-setup.md, "Kiosk").
install -D -m 0755 "$here/kiosk/numsense-kiosk" "$pkg/usr/libexec/numsense/numsense-kiosk"
install -D -m 0644 "$here/kiosk/numsense-kiosk.desktop" "$pkg/usr/share/numsense/kiosk/numsense-kiosk.desktop"

# Single-threaded xz where dpkg-deb can be told (dpkg 1.21.9 and later), so
# the compressed bytes do not depend on the number of cores.
threads=
if dpkg-deb --help 2>/dev/null | grep -q -- --threads-max; then threads=--threads-max=1; fi

mkdir "$stage/out"
(
    cd "$src"
    unset DH_OPTIONS DH_VERBOSE DH_COMPAT DEB_BUILD_OPTIONS DEB_BUILD_PROFILES
    # The host architecture for dpkg-gencontrol, without asking a C compiler.
    eval "$(dpkg-architecture -a"$arch" -s 2>/dev/null)"
    dh_installdocs
    dh_installchangelogs
    dh_installman
    dh_installsystemd
    dh_lintian
    dh_compress
    dh_fixperms
    dh_installdeb
    dh_gencontrol
    dh_md5sums
    find debian/numsense -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +
    # shellcheck disable=SC2086 # $threads is empty or one option
    dh_builddeb --destdir="$stage/out" -- -Zxz $threads
) >&2

mkdir -p "$outdir"
final="$outdir/numsense_${debversion}_${arch}.deb"
partial=$(mktemp "$outdir/.numsense_${debversion}_${arch}.deb.XXXXXX")
cp "$stage/out/numsense_${debversion}_${arch}.deb" "$partial"
chmod "$out_mode" "$partial"
mv -f "$partial" "$final"
partial=
echo "$final"
