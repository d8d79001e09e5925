#!/bin/sh
# deploy.sh HOST [DEB]
# deploy.sh --arch HOST
#
# Installs numsense on a Raspberry Pi over ssh ("make deploy HOST=pi.local"):
# asks the Pi for its dpkg architecture (arm64 or armhf), takes DEB or else
# the newest dist/numsense_*_ARCH.deb, copies it over, installs it with
# "sudo dpkg -i" (which enables and restarts the service) and shows
# "systemctl status numsense". Exits non-zero when the service is not
# active afterwards.
#
# With --arch it only asks the Pi and prints its architecture (arm64 or
# armhf), failing when the Pi cannot be reached or takes neither: make deploy
# runs this first, so that a wrong HOST stops it before anything is built,
# and then builds only the package the Pi takes.
#
# HOST is anything ssh accepts (pi.local, pi@192.168.1.20, a Host alias).
# NUMSENSE_DIST overrides the directory searched for packages (default: the
# repository's dist/).
set -eu

die() {
    echo "deploy.sh: $*" >&2
    exit 1
}

usage="usage: deploy.sh HOST [DEB] | deploy.sh --arch HOST"
only_arch=
if [ "${1:-}" = --arch ]; then
    only_arch=yes
    shift
    [ "$#" = 1 ] || die "$usage"
fi
case $# in
1 | 2) ;;
*) die "$usage" ;;
esac
host=$1
deb=${2:-}
[ -n "$host" ] || die "HOST is empty; $usage"
here=$(cd "$(dirname "$0")" && pwd)
dist=${NUMSENSE_DIST:-$here/../dist}

arch=$(ssh "$host" dpkg --print-architecture) ||
    die "cannot run dpkg on $host over ssh (is it a Debian/Raspberry Pi OS system and reachable?)"
case $arch in
arm64 | armhf) ;;
*) die "$host has dpkg architecture '$arch'; numsense packages exist for arm64 and armhf" ;;
esac
if [ -n "$only_arch" ]; then
    echo "$arch"
    exit 0
fi

if [ -z "$deb" ]; then
    # The newest build for this architecture: "make deb" has just written it.
    # shellcheck disable=SC2012 # our own file names: no spaces or newlines
    deb=$(ls -1t "$dist"/numsense_*_"$arch".deb 2>/dev/null | head -n 1 || true)
    [ -n "$deb" ] || die "no numsense_*_$arch.deb in $dist; run: make deb"
else
    [ -f "$deb" ] || die "DEB '$deb': no such file"
    case $deb in
    *_"$arch".deb) ;;
    *) die "DEB '$deb' is not an $arch package, which is what $host runs" ;;
    esac
fi
name=$(basename "$deb")

# A terminal for sudo's password prompt, when there is one to pass on.
tty=
if [ -t 0 ]; then tty=-t; fi

remote=$(ssh "$host" mktemp -d /tmp/numsense-deploy.XXXXXX) ||
    die "cannot create a temporary directory on $host"
echo "deploy.sh: installing $name on $host"
scp -q "$deb" "$host:$remote/$name" || die "cannot copy $deb to $host:$remote"
# Expanded here on purpose: the remote paths are ours (no quotes in them).
# shellcheck disable=SC2086,SC2029 # $tty is empty or one flag
ssh $tty "$host" "sudo dpkg -i '$remote/$name'; rc=\$?; rm -rf '$remote'; exit \$rc" ||
    die "dpkg -i $name failed on $host"

ssh "$host" systemctl --no-pager --full status numsense.service || true
ssh "$host" systemctl --quiet is-active numsense.service ||
    die "numsense.service is not active on $host; see: ssh $host journalctl -u numsense -b"
