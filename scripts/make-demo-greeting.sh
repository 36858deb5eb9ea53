#!/usr/bin/env bash
# Regenerates the simulated customer's voice for the demo switchboard: Italian speech from
# espeak-ng, turned by sox into what a phone line carries (8 kHz mono G.711 µ-law), so the
# RTP payloads are the file's bytes with no encoder at run time. sox dithers when it resamples,
# so two runs differ in the low bits: regenerate only when the text changes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=server/demo/assets/customer-greeting-it.wav
text="Buongiorno! Vi chiamo perché la nostra macchina non funziona più da stamattina: si ferma con un errore sul display. Potete mandare un tecnico il prima possibile? Grazie."
tmp="$(mktemp --suffix=.wav)"
trap 'rm -f "$tmp"' EXIT
espeak-ng -v it -s 150 -w "$tmp" "$text"
sox "$tmp" -r 8000 -c 1 -e mu-law "$out"
echo "wrote $out ($(soxi -D "$out") s)"
