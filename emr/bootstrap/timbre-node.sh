#!/usr/bin/env bash
# EMR bootstrap action for every Timbre node (EMR 7.x, Amazon Linux 2023). Runs as hadoop before YARN starts.
#  - JavaCPP (ND4J's native loader) unpacks its libraries into a cache; the default is the user's home, which YARN
#    containers cannot share: give it a node-local folder on the instance store / EBS mount (spark-defaults points
#    -Dorg.bytedeco.javacpp.cachedir here).
#  - ND4J's CPU backend needs libgomp (OpenMP); install it if the AMI lacks it.
#  - GPU nodes (g5/g4dn): YARN's GPU isolation needs the cgroup-v1 devices controller, which AL2023 (cgroup v2) does
#    not mount; mount it where yarn-site/container-executor expect it (/spark-rapids-cgroup, as EMR documents for
#    GPU scheduling on 7.x). Check the driver with nvidia-smi and fail loudly if a GPU node has none.
set -euo pipefail

log() { echo "timbre-bootstrap: $*"; }

sudo mkdir -p /mnt/javacpp-cache
sudo chmod 1777 /mnt/javacpp-cache
log "JavaCPP cache at /mnt/javacpp-cache"

if ! ldconfig -p | grep -q 'libgomp\.so\.1'; then
  log "installing libgomp"
  sudo dnf install -y libgomp || sudo yum install -y libgomp
fi

if lspci 2>/dev/null | grep -qi nvidia || [[ -e /dev/nvidia0 ]]; then
  log "GPU node"
  if ! command -v nvidia-smi >/dev/null; then
    log "ERROR: an NVIDIA GPU but no nvidia-smi: use an EMR release whose AMI ships the driver (EMR 7.x does)"
    exit 1
  fi
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/timbre-bootstrap: /'
  sudo mkdir -p /spark-rapids-cgroup/devices
  if ! mountpoint -q /spark-rapids-cgroup/devices; then
    sudo mount -t cgroup -o devices cgroupv1-devices /spark-rapids-cgroup/devices
  fi
  sudo chmod a+rwx -R /spark-rapids-cgroup
  log "cgroup v1 devices controller at /spark-rapids-cgroup/devices"
else
  log "CPU node"
fi
