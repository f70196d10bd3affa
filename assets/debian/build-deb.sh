#!/bin/sh
# Makes the Debian package (make deb) from ROOT, a `make install DESTDIR=ROOT PREFIX=/usr`
# tree: strips the binary, compresses the man pages, adds the copyright file, the Debian
# changelog and DEBIAN/{control,md5sums} (Depends from dpkg-shlibdeps), then writes
# OUTDIR/boxlogin_VERSION_ARCH.deb with dpkg-deb.
# Usage: sh assets/debian/build-deb.sh ROOT OUTDIR
set -eu

[ $# -eq 2 ] || { echo "usage: $0 ROOT OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
root=$(cd "$1" && pwd)
out=$2
umask 022

die() { echo "build-deb: $*" >&2; exit 1; }

version=$(sed -n 's/^#define BOXLOGIN_VERSION "\(.*\)"$/\1/p' "$top/src/version.h")
[ -n "$version" ] || die "no BOXLOGIN_VERSION in src/version.h"
debversion=$(dpkg-parsechangelog -l "$here/changelog" -SVersion)
case "$debversion" in
"$version"-*) ;;
*) die "assets/debian/changelog is at $debversion, src/version.h at $version: add a changelog entry" ;;
esac
arch=$(dpkg --print-architecture)
# Reproducible: dpkg-deb clamps the files' times to the changelog's date.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(dpkg-parsechangelog -l "$here/changelog" -STimestamp)}
export SOURCE_DATE_EPOCH

bin=usr/bin/boxlogin
man=usr/share/man/man1/boxlogin.1
for f in $bin $man usr/share/bash-completion/completions/boxlogin \
         usr/share/man/es/man1/boxlogin.1 usr/share/man/pt_BR/man1/boxlogin.1 \
         usr/share/locale/es/LC_MESSAGES/boxlogin.mo usr/share/locale/pt_BR/LC_MESSAGES/boxlogin.mo; do
    [ -f "$root/$f" ] || die "$root/$f is missing: not a 'make install PREFIX=/usr' tree"
done

# Debian policy: stripped binaries, man pages compressed with gzip -9n.
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/$bin"
find "$root/usr/share/man" -type f -name '*.1' -exec gzip -9nf {} +
doc=$root/usr/share/doc/boxlogin
install -d -m 755 "$doc"
install -m 644 "$here/copyright" "$doc/copyright"
gzip -9n <"$here/changelog" >"$doc/changelog.Debian.gz"
if [ -f "$here/lintian-overrides" ]; then
    install -d -m 755 "$root/usr/share/lintian/overrides"
    install -m 644 "$here/lintian-overrides" "$root/usr/share/lintian/overrides/boxlogin"
fi
# Whatever the umask of the install was: directories 755, files 644, the binary 755.
find "$root" -type d -exec chmod 755 {} +
find "$root" -type f -exec chmod 644 {} +
chmod 755 "$root/$bin"

rm -rf "$root/DEBIAN"
size=$(du -sk "$root" | cut -f1)
install -d -m 755 "$root/DEBIAN"

# dpkg-shlibdeps wants a debian/control (a throwaway one, with the one package) and the
# binary in a package tree (one with a DEBIAN folder).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/debian"
printf 'Source: boxlogin\n\nPackage: boxlogin\nArchitecture: any\n' >"$tmp/debian/control"
depends=$(cd "$tmp" && dpkg-shlibdeps -O -e"$root/$bin" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || die "dpkg-shlibdeps found no dependencies for $bin"
# libcurl is loaded with dlopen when the API is first needed (src/curl_load.c), so
# dpkg-shlibdeps does not see it: the OpenSSL flavour (libcurl.so.4), with
# CURLOPT_PROTOCOLS_STR (7.85.0).
depends="$depends, libcurl4 (>= 7.85.0)"

(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"
sed -e "s#@VERSION@#$debversion#" -e "s#@ARCH@#$arch#" -e "s#@INSTALLED_SIZE@#$size#" \
    -e "s#@DEPENDS@#$depends#" "$here/control" >"$root/DEBIAN/control"
chmod 644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"

mkdir -p "$out"
dpkg-deb --build --root-owner-group "$root" "$out/boxlogin_${version}_${arch}.deb"
