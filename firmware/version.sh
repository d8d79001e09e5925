#!/bin/sh
# version.sh [DIR]
#
# Prints the version of the numsense checkout DIR (default: the one holding
# this script), derived from its git tags, in a form that is both what
# "numsense --version" prints and a valid Debian upstream version that sorts
# in commit order:
#
#   HEAD is the tag v1.2.0                 1.2.0
#   3 commits after v1.2.0                 1.2.0+git20251203.3.b0d34b2abcde
#   no v* tag yet (412 commits in all)     0.0.0~git20251203.412.b0d34b2abcde
#   uncommitted changes to tracked files   ... plus "+dirty" or ".dirty"
#   not a git checkout                     0.0.0~unknown (and a warning)
#
# The date is the last commit's (UTC), the number counts commits since the
# tag (or all commits without one), the hash has 12 digits. A "-" in a tag
# becomes "~", so v1.0.0-rc1 gives 1.0.0~rc1, which sorts before 1.0.0.
# Only tags of the form v<digit>... count. Needs git.
set -eu

die() {
    echo "version.sh: $*" >&2
    exit 1
}

dir=${1:-$(dirname "$0")/..}
if ! command -v git >/dev/null || ! git -C "$dir" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    echo "version.sh: $dir is not a git checkout with commits; the version is 0.0.0~unknown" >&2
    echo 0.0.0~unknown
    exit 0
fi
g() { git -C "$dir" "$@"; }

hash=$(g rev-parse --short=12 HEAD)
date=$(TZ=UTC0 g log -1 --format=%cd --date=format-local:%Y%m%d HEAD)
g update-index -q --refresh >/dev/null 2>&1 || true
dirty=
if ! g diff-index --quiet HEAD -- 2>/dev/null; then dirty=yes; fi

if desc=$(g describe --tags --long --match 'v[0-9]*' --abbrev=12 HEAD 2>/dev/null); then
    # v1.2.0-3-gb0d34b2abcde: the tag, the commits since, the hash.
    rest=${desc%-g*}
    count=${rest##*-}
    tag=${rest%-*}
    base=$(printf '%s' "${tag#v}" | tr '-' '~')
    printf '%s\n' "$base" | grep -Eqx '[0-9][A-Za-z0-9.+~]*' ||
        die "tag '$tag' does not give a Debian version (allowed after the v: digits, letters, . + ~ -)"
    if [ "$count" = 0 ]; then
        version=$base
    else
        version=$base+git$date.$count.$hash
    fi
else
    version=0.0.0~git$date.$(g rev-list --count HEAD).$hash
fi

if [ -n "$dirty" ]; then
    case $version in
    *+*) version=$version.dirty ;;
    *) version=$version+dirty ;;
    esac
fi
echo "$version"
