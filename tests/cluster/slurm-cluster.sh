#!/usr/bin/env bash
# A one-node Slurm cluster for the cluster tests (issue 19), with all its state in one folder.
#
#   slurm-cluster.sh start DIR   start munged, slurmctld and slurmd; write DIR/env
#   slurm-cluster.sh stop DIR    cancel every job, stop the daemons (safe to run twice)
#
# Exit codes: 0 done, 77 cannot run here (not root, a program missing; the reason is printed
# and kept in DIR/skip-reason for the tests that need the cluster), 1 failed.
#
# Clients reach the cluster with `. DIR/env` (it sets SLURM_CONF). The node declares 8 CPUs
# on any host (SlurmdParameters=config_overrides), so several phases run at once on a
# 2-core machine. Measured facts behind each setting: PLATFORM_NOTES.md, "Slurm on one machine".
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
action=$1
dir=$(realpath -m -- "$2")
conf=$dir/slurm.conf
node=$(hostname -s)
readonly poll_limit_seconds=60

# --- small helpers ----------------------------------------------------------------------------

# Whether a process runs. A daemon that exited stays a zombie for a while here (this
# machine's init reaps late), and `kill -0` succeeds on a zombie, so read its state.
alive() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# A pid file's process, if it still runs.
live_pid() {
  local file=$1 pid
  # The daemon may remove its pid file while this reads it.
  pid=$({ tr -dc '0-9' <"$file"; } 2>/dev/null) || return 1
  [ -n "$pid" ] && alive "$pid" || return 1
  echo "$pid"
}

# Runs "$@" every 0.1 s until it succeeds; fails after poll_limit_seconds (or $limit).
wait_until() {
  local deadline=$((SECONDS + ${limit:-$poll_limit_seconds}))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

gone() { ! alive "$1"; }

# Ports some socket on this machine already uses (listening or connected, v4 and v6).
used_ports() {
  local hex
  awk 'FNR > 1 { n = split($2, a, ":"); print a[n] }' /proc/net/tcp /proc/net/tcp6 \
    2>/dev/null | while read -r hex; do echo $((16#$hex)); done
}

# Two consecutive free ports below the kernel's ephemeral range, from a random start, so
# that a second cluster or a leftover one never shares a port with this one.
free_port_pair() {
  local used port
  used=" $(used_ports | tr '\n' ' ') "
  for _ in $(seq 1 200); do
    port=$((10000 + RANDOM % 22000))
    if [[ $used != *" $port "* && $used != *" $((port + 1)) "* ]]; then
      echo "$port $((port + 1))"
      return 0
    fi
  done
  return 1
}

slurm_client() { SLURM_CONF=$conf "$@"; }

# --- stop -------------------------------------------------------------------------------------

# Waits for the process itself, not its pid file: slurmd removes the file first, then may
# wait up to 120 s for a thread that still reports a lost step to an srun that is gone.
stop_daemon() {
  local name=$1 file=$2 pid
  pid=$(live_pid "$file") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  if ! limit=5 wait_until gone "$pid"; then
    echo "$name (pid $pid) still ran 5 s after SIGTERM; killed it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait_until gone "$pid" || true
  fi
}

# slurmstepd outlives slurmd; each one keeps this cluster's slurmd.log open.
stepd_pids() {
  local p fd
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = slurmstepd ] || continue
    alive "${p#/proc/}" || continue
    for fd in "$p"/fd/*; do
      if [[ $(readlink "$fd" 2>/dev/null) == "$dir"/* ]]; then
        echo "${p#/proc/}"
        break
      fi
    done
  done
}

no_jobs_left() { [ -z "$(slurm_client squeue -h -o %i 2>/dev/null)" ]; }
no_stepd_left() { [ -z "$(stepd_pids)" ]; }

stop_cluster() {
  rm -f "$dir/env"
  local jobs
  if live_pid "$dir/slurmctld.pid" >/dev/null; then
    jobs=$(slurm_client squeue -h -o %A 2>/dev/null) || true
    # shellcheck disable=SC2086 # one job id a word
    [ -z "$jobs" ] || slurm_client scancel --full --quiet $jobs 2>/dev/null || true
    wait_until no_jobs_left || echo "jobs still queued after ${poll_limit_seconds} s" >&2
  fi
  stop_daemon slurmctld "$dir/slurmctld.pid"
  stop_daemon slurmd "$dir/slurmd.pid"
  local pids
  pids=$(stepd_pids)
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086 # one pid a word
    kill -KILL $pids 2>/dev/null || true
    wait_until no_stepd_left || true
  fi
  stop_daemon munged "$dir/munge/munged.pid"
}

# --- start ------------------------------------------------------------------------------------

skip() {
  echo "skipped: $*"
  { mkdir -p "$dir" && echo "$*" >"$dir/skip-reason"; } 2>/dev/null || true
  exit 77
}

check_can_run() {
  local uid program missing=()
  uid=$(id -u)
  [ "$uid" -eq 0 ] || skip "the local Slurm cluster needs root (slurmd runs as root); uid is $uid"
  for program in munged mungekey slurmctld slurmd srun sbatch squeue sinfo scancel scontrol; do
    command -v "$program" >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v "$program" \
      >/dev/null || missing+=("$program")
  done
  [ "${#missing[@]}" -eq 0 ] || skip "the local Slurm cluster needs ${missing[*]}, not" \
    "installed (scripts/install-deps.sh --tests installs slurm-wlm and munge)"
  id munge >/dev/null 2>&1 || skip "the local Slurm cluster needs the user munge" \
    "(made by the munge package), which does not exist"
}

# The first folder above $1 that other users cannot enter; fails when there is none.
closed_ancestor() {
  local d=$1
  while [ "$d" != / ]; do
    d=$(dirname "$d")
    if [ $((0$(stat -c %a "$d") & 1)) -eq 0 ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

# munged as user munge, with a key of its own. Its key, pid, log and seed live in a folder
# only munge reads; its socket in a folder everyone can enter, so any client can ask it.
start_munge() {
  install -d -o munge -g munge -m 700 "$dir/munge"
  install -d -o munge -g munge -m 755 "$dir/munge-socket"
  mungekey -c -k "$dir/munge/munge.key" -f
  chown munge:munge "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  local munged
  munged=$(PATH=$PATH:/usr/sbin command -v munged)
  setpriv --reuid=munge --regid=munge --init-groups -- "$munged" \
    --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
    --socket="$dir/munge-socket/munge.socket" --force
  wait_until test -S "$dir/munge-socket/munge.socket" || fail "munged made no socket"
}

write_conf() {
  local ctld_port=$1 slurmd_port=$2
  : >"$dir/plugstack.conf"
  cat >"$conf" <<EOF
# Written by tests/cluster/slurm-cluster.sh; rewritten at each start.
ClusterName=clade-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge-socket/munge.socket
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
PlugStackConfig=$dir/plugstack.conf
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# Memory is a consumable resource as on most real clusters, so --mem matters; a job that
# asks for none gets DefMemPerCPU per CPU rather than the whole node.
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
# A lost node comes back by itself when its slurmd registers again (tests of job loss).
ReturnToService=2
# A cancelled step gets SIGKILL 5 s after SIGTERM, not the default 30 s.
KillWait=5
# No slurmdbd: sacct has no accounting storage to read. A finished job stays in
# "scontrol show job" for MinJobAge (default 300 s) and its line in JobCompLoc for good.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.txt
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 CPUs=8 RealMemory=16000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES OverSubscribe=YES MaxTime=INFINITE State=UP
PartitionName=short Nodes=ALL OverSubscribe=YES MaxTime=01:00:00 State=UP
EOF
}

fail() {
  echo "slurm-cluster.sh: $*" >&2
  local log
  for log in "$dir/munge/munged.log" "$dir/log/slurmctld.log" "$dir/log/slurmd.log"; do
    [ -s "$log" ] && { echo "--- last lines of $log" >&2; tail -n 20 "$log" >&2; }
  done
  stop_cluster
  exit 1
}

node_idle() {
  [ "$(slurm_client sinfo -h -n "$node" -o %t 2>/dev/null | sort -u)" = idle ]
}

start_cluster() {
  local began ports
  began=$(date +%s%N)
  check_can_run
  mkdir -p "$dir"
  stop_cluster # a leftover cluster in this folder
  rm -rf "$dir/state" "$dir/spool" "$dir/log" "$dir/munge" "$dir/munge-socket" \
    "$dir/jobcomp.txt" "$dir/skip-reason"
  # munge must traverse every folder on the way to its files (mktemp -d makes them 700).
  chmod 755 "$dir"
  local closed
  if closed=$(closed_ancestor "$dir"); then
    fail "user munge cannot enter $closed, on the way to $dir: put the cluster folder" \
      "(the build dir) elsewhere, or chmod o+x $closed"
  fi
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  start_munge
  ports=$(free_port_pair) || fail "found no two free ports"
  # shellcheck disable=SC2086 # two words, two ports
  write_conf $ports
  export SLURM_CONF=$conf
  PATH=$PATH:/usr/sbin slurmctld -f "$conf" || fail "slurmctld did not start"
  PATH=$PATH:/usr/sbin slurmd -f "$conf" -N "$node" || fail "slurmd did not start"
  wait_until node_idle || fail "node $node not idle after ${poll_limit_seconds} s:" \
    "$(slurm_client sinfo -h -N -o '%N %t %E' 2>&1)"
  echo "SLURM_CONF=$conf; export SLURM_CONF" >"$dir/env"
  local ms=$((($(date +%s%N) - began) / 1000000))
  echo "Slurm cluster up in $((ms / 1000)).$(printf %03d $((ms % 1000))) s (node $node," \
    "8 CPUs, partitions debug and short, controller port ${ports% *}):" \
    ". $dir/env; srun -n1 hostname"
}

case "$action" in
  start) start_cluster ;;
  stop) stop_cluster; rm -f "$dir/skip-reason" ;;
  *) usage ;;
esac
