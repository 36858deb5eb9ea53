#!/usr/bin/env bash
# Installs the Debian packages of the SIP rig (tests/telephony/rig.ts) when they are missing:
# Kamailio with its WebSocket module, rtpengine (userspace only) and sipp. Idempotent.
# Needs root and the Debian mirror; the rig itself then runs with loopback only.
set -euo pipefail

packages=(
	kamailio
	kamailio-websocket-modules
	kamailio-extra-modules
	rtpengine-daemon
	sip-tester
)

missing=()
for package in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$package")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "telephony rig: packages present (${packages[*]})"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "telephony rig: missing ${missing[*]}; run this script as root" >&2
	exit 1
fi

echo "telephony rig: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another apt run may hold the lock (e.g. a machine still provisioning): wait for it.
apt_options=(-o DPkg::Lock::Timeout=900 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
apt-get "${apt_options[@]}" update
# No recommends: they pull the rtpengine kernel module (DKMS), which the rig does not use.
apt-get "${apt_options[@]}" install -y --no-install-recommends "${missing[@]}"

echo "telephony rig: installed ${missing[*]}"
