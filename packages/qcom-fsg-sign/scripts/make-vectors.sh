#!/usr/bin/env bash
# Generates the OpenSSL test vectors of test/vectors/ with the spec §6 recipe (OpenSSL 3, GNU tar, gzip, bash).
# Independent of the code under test. The keys made here are TEST KEYS of this project: their private keys are
# committed, so their root hash is listed in src/known-roots.ts as kind "test" (refused by `sign`, flagged by `verify`).
# Usage: bash packages/qcom-fsg-sign/scripts/make-vectors.sh   (rewrites test/vectors/)
set -euo pipefail
OUT=$(cd "$(dirname "$0")/../test/vectors" && pwd)
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; cd "$W"
SW=0000000000000000 HW=009600E100000000 E='-pkeyopt rsa_padding_mode:pkcs1'
u32le(){ printf "$(printf %08x $1|sed 's/\(..\)\(..\)\(..\)\(..\)/\\x\4\\x\3\\x\2\\x\1/')"; }
hex2bin(){ printf "$(echo $1|sed 's/../\\x&/g')"; }
for k in root ca att; do openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:3 -out $k.key 2>/dev/null; done
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:257 -out att257.key 2>/dev/null
B=basicConstraints=critical K=keyUsage=critical S=subjectKeyIdentifier=hash A=authorityKeyIdentifier=keyid
printf "$B,CA:TRUE\n$K,keyCertSign,cRLSign\n$S\n" > root.ext
printf "$B,CA:TRUE,pathlen:0\n$K,keyCertSign,cRLSign\n$S\n" > rootp0.ext
printf "$B,CA:TRUE,pathlen:0\n$K,keyCertSign,cRLSign\n$S\n$A\n" > ca.ext
printf "$B,CA:FALSE\n$K,digitalSignature\n$A\n" > att.ext
# x <name> <keyfile-base> <ext-base> <subject> <issuer-args> <serial>
x(){ openssl req -new -key $2.key -subj "$4" -out $1.csr; openssl x509 -req -in $1.csr $5 -sha256 -days 7300 -set_serial $6 -extfile $3.ext -outform DER -out $1.der 2>/dev/null; }
x root root root "/O=Ex/CN=Ex FSG Root CA" "-signkey root.key" 1
x ca ca ca "/O=Ex/CN=Ex FSG Attestation CA" "-CA root.der -CAform DER -CAkey root.key" 5
x rootp0 root rootp0 "/O=Ex/CN=Ex FSG Root CA" "-signkey root.key" 1
x cap0 ca ca "/O=Ex/CN=Ex FSG Attestation CA" "-CA rootp0.der -CAform DER -CAkey root.key" 5
# A small deterministic payload: tar.gz padded to a 512-byte multiple (device-made files carry junk after the trailer).
mkdir -p p/nv/item_files/rfnv && printf 'hello' > p/nv/item_files/rfnv/00020000
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=ustar -C p -cf - nv | gzip -n -9 > fs_image.tar.gz
c=$(stat -c %s fs_image.tar.gz); pad=$(( (512 - c % 512) % 512 )); head -c $pad /dev/zero >> fs_image.tar.gz
c=$(stat -c %s fs_image.tar.gz)
{ for v in 27 3 40 0 $((c+6400)) $c $c 256 $((c+256)) 6144; do u32le $v; done; cat fs_image.tar.gz; } > signed
subj(){ echo "/O=Ex/OU=01 $1 SW_ID/OU=02 $2 HW_ID/OU=03 0000000000000002 DEBUG/OU=04 0000 OEM_ID/OU=05 $(printf %08X $((c+40))) SW_SIZE/OU=06 0000 MODEL_ID/OU=07 0001 SHA256/CN=Ex FSG Attestation"; }
x att att att "$(subj $SW $HW)" "-CA ca.der -CAform DER -CAkey ca.key" 1
x attlower att att "$(subj $SW 009600e100000000)" "-CA ca.der -CAform DER -CAkey ca.key" 2
x att257 att257 att "$(subj $SW $HW)" "-CA ca.der -CAform DER -CAkey ca.key" 3
x attp0 att att "$(subj $SW $HW)" "-CA cap0.der -CAform DER -CAkey ca.key" 4
hex2bin $(printf %016X $((0x$SW ^ 0x3636363636363636))) > si; hex2bin $(printf %016X $((0x$HW ^ 0x5C5C5C5C5C5C5C5C))) > so
openssl dgst -sha256 -binary signed > h1; cat si h1|openssl dgst -sha256 -binary > h2; cat so h2|openssl dgst -sha256 -binary > h3
# lower-case OU HW_ID: the modem reads HW_ID 0x009600 (truncated), so its hash uses that value (never verifies anyway).
mk(){ # mk <out> <att-der> <att-key> <ca-der> <root-der> [pad-byte-octal]
  openssl pkeyutl -sign -inkey $3.key $E -in h3 -out sig.$1
  cat $2.der $4.der $5.der > chain.$1; head -c $((6144-$(stat -c %s chain.$1))) /dev/zero|tr '\0' "\\${6:-377}" >> chain.$1
  cat signed sig.$1 chain.$1 > $1.mbn; }
mk fs att att ca root
mk lower attlower att ca root
mk e257 att257 att257 ca root
mk pathlen0 attp0 att cap0 rootp0
mk zeropad att att ca root 000
openssl dgst -sha256 -sign att.key -out sig.di signed; cat signed sig.di chain.fs > digestinfo.mbn
n=$(stat -c %s fs.mbn)
{ for v in 20 3 472 0 $n $n 0 0 0 0; do u32le $v; done; printf 'IMGEFS- SIGNED_IMAGE'; head -c 452 /dev/zero; cat fs.mbn; } > fs.mbn.img
printf 'EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_ADDR,0x8a000000L\r\nGOLDEN_RAM_SIZE,3145728\r\n' > efs_image_meta.bin
rm -f "$OUT"/*.mbn "$OUT"/*.img "$OUT"/*.der "$OUT"/*.pem "$OUT"/*.bin "$OUT"/*.gz "$OUT"/*.txt
cp fs.mbn fs.mbn.img lower.mbn e257.mbn pathlen0.mbn zeropad.mbn digestinfo.mbn fs_image.tar.gz efs_image_meta.bin "$OUT"/
for k in root ca att; do openssl pkcs8 -topk8 -nocrypt -in $k.key -out "$OUT"/test-$k.key.pem; openssl x509 -inform DER -in $k.der -out "$OUT"/test-$k.crt.pem; done
openssl dgst -sha256 -r root.der | cut -c1-64 > "$OUT"/root-sha256.txt
xxd -p h3 | tr -d '\n' > "$OUT"/h3.txt
echo "vectors written to $OUT (root $(cat "$OUT"/root-sha256.txt))"
