#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A private single-node Slurm cluster for tests and benchmarks (issue 14): munged, slurmctld
# and slurmd of this host, with their key, configuration, state, sockets, ports and logs in one
# temporary directory, so they touch nothing of a system Slurm or munge that may also run here.
# Needs root (SlurmUser=root), munge and slurm-wlm (slurmctld, slurmd, sbatch, squeue, sinfo);
# tested with Slurm 22.05. Runs in containers: no cgroups (proctrack/linuxproc, task/none).
#
# As a library (bash, sourced):
#   source test/slurm-cluster.sh
#   slurm_cluster_start DIR     # start, export SLURM_CONF=DIR/slurm.conf, wait for the node
#   ...sbatch/squeue/scontrol...
#   slurm_cluster_stop          # cancel the cluster's jobs, stop every daemon it started
# slurm_cluster_start installs a trap on EXIT, INT and TERM that calls slurm_cluster_stop, so
# the daemons go away however the caller ends; a caller with its own EXIT trap calls
# slurm_cluster_stop from it (stopping twice is harmless). Daemons are stopped by the process
# ids recorded at their start, never by name.
# slurm_cluster_available says (status 0/1) whether this host can start one (root, the programs).
#
# As a command:
#   test/slurm-cluster.sh run [--dir=DIR] [--cpus=N] -- CMD ARGS...
#     start a cluster (in DIR, else a new temporary directory that is removed afterwards), run
#     CMD with SLURM_CONF exported, stop the cluster; exits with CMD's status.
#   test/slurm-cluster.sh check
#     start a cluster, run an array job of 4 tasks with sbatch --wait, check their files, stop.
#
# Settings (environment): SLURM_CLUSTER_CPUS (the node's CPUs, default: this host's),
# SLURM_CLUSTER_TIMEOUT (seconds to wait for the node, default 60).

# slurm_cluster_available: status 0 if this host can start a test cluster.
slurm_cluster_available() {
    local c
    [ "$(id -u)" -eq 0 ] || return 1
    for c in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
        command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || return 1
    done
    return 0
}

# _slurm_cluster_bin NAME: the path of a daemon (root's PATH may lack /usr/sbin).
_slurm_cluster_bin() {
    command -v "$1" 2>/dev/null || echo "/usr/sbin/$1"
}

# _slurm_cluster_free_port: a TCP port nobody listens on, from a random start in 20000-29999.
_slurm_cluster_free_port() {
    local used p
    used=$(ss -Hltn 2>/dev/null | awk '{print $4}' | sed 's/.*://' || true)
    p=$((20000 + RANDOM % 10000))
    while grep -qx "$p" <<<"$used" || grep -qx "$p" <<<"${_slurm_cluster_ports:-}"; do
        p=$((p + 1))
    done
    _slurm_cluster_ports="${_slurm_cluster_ports:-}"$'\n'"$p"
    echo "$p"
}

# _slurm_cluster_log MESSAGE: progress on stderr.
_slurm_cluster_log() { echo "slurm-cluster: $*" >&2; }

# _slurm_cluster_dump: the daemon logs' ends, on stderr (after a failure).
_slurm_cluster_dump() {
    local f
    for f in "$SLURM_CLUSTER_DIR"/log/*.log; do
        [ -f "$f" ] || continue
        echo "---- $f (last 20 lines)" >&2
        tail -n 20 "$f" >&2
    done
}

# _slurm_cluster_alive PID: the process exists and is not a zombie.
_slurm_cluster_alive() {
    local state
    [ -r "/proc/$1/stat" ] || return 1
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# slurm_cluster_start DIR: start munged, slurmctld and slurmd with everything in DIR (created;
# should be empty), export SLURM_CONF, wait until the node is idle. Status 1 (and everything
# stopped again) if the cluster does not come up.
slurm_cluster_start() {
    local dir=$1
    local cpus=${SLURM_CLUSTER_CPUS:-} timeout=${SLURM_CLUSTER_TIMEOUT:-60}
    local host node_line mem ctld_port slurmd_port t state
    if [ -n "${SLURM_CLUSTER_DIR:-}" ]; then
        _slurm_cluster_log "a cluster is already running in $SLURM_CLUSTER_DIR"
        return 1
    fi
    slurm_cluster_available || {
        _slurm_cluster_log "needs root, munge and slurm-wlm"
        return 1
    }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    SLURM_CLUSTER_DIR=$dir
    SLURM_CLUSTER_PIDS=""
    trap 'slurm_cluster_stop' EXIT
    trap 'slurm_cluster_stop; exit 130' INT
    trap 'slurm_cluster_stop; exit 143' TERM
    mkdir -p "$dir/munge" "$dir/log" "$dir/state" "$dir/spool" "$dir/run" "$dir/jobs"
    # munged wants its directory owned by its user, not writable by others, its socket reachable.
    chmod 755 "$dir/munge"

    # munge: its own key, socket and files.
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/munge/munge.key"
    "$(_slurm_cluster_bin munged)" --foreground --force \
        --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
        --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
        --seed-file="$dir/munge/munged.seed" </dev/null >>"$dir/log/munged.log" 2>&1 &
    SLURM_CLUSTER_PIDS="$!"
    for ((t = 0; t < 100; t++)); do
        [ -S "$dir/munge/munge.socket" ] && break
        _slurm_cluster_alive "$!" || break
        sleep 0.1
    done
    if [ ! -S "$dir/munge/munge.socket" ]; then
        _slurm_cluster_log "munged did not start"
        _slurm_cluster_dump
        slurm_cluster_stop
        return 1
    fi

    # slurm.conf: this host as controller and the only node, with its real CPUs and memory.
    host=$(hostname -s)
    node_line=$("$(_slurm_cluster_bin slurmd)" -C | head -n 1)
    mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node_line")
    [ -n "$cpus" ] || cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$node_line")
    [ -n "$cpus" ] || cpus=$(nproc)
    [ -n "$mem" ] || mem=1024
    ctld_port=$(_slurm_cluster_free_port)
    slurmd_port=$(_slurm_cluster_free_port)
    : >"$dir/plugstack.conf"
    cat >"$dir/slurm.conf" <<EOF
# A private single-node test cluster (test/slurm-cluster.sh).
ClusterName=presec-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$dir/plugstack.conf
# A container: no cgroups.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
LaunchParameters=use_interactive_step
# One CPU per task: as many tasks at once as the node has CPUs.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# Start tasks as soon as CPUs free up: the main scheduler runs on every job end without the
# default batching delays, and the backfill scheduler every second (its minimum) catches what
# it misses. Either alone leaves CPUs idle for up to a second between array tasks.
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1,batch_sched_delay=0,sched_min_interval=0
MaxArraySize=10001
MaxJobCount=100000
ReturnToService=2
SlurmdTimeout=300
InactiveLimit=0
KillWait=5
MinJobAge=2
MessageTimeout=10
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
    export SLURM_CONF="$dir/slurm.conf"

    "$(_slurm_cluster_bin slurmctld)" -D -i -f "$SLURM_CONF" </dev/null \
        >>"$dir/log/slurmctld.out" 2>&1 &
    SLURM_CLUSTER_PIDS="$SLURM_CLUSTER_PIDS $!"
    "$(_slurm_cluster_bin slurmd)" -D -f "$SLURM_CONF" </dev/null \
        >>"$dir/log/slurmd.out" 2>&1 &
    SLURM_CLUSTER_PIDS="$SLURM_CLUSTER_PIDS $!"
    echo "$SLURM_CLUSTER_PIDS" >"$dir/run/pids"

    # Wait for the node to be idle.
    state=""
    for ((t = 0; t < timeout * 5; t++)); do
        state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
        case "$state" in
        idle*) break ;;
        esac
        local p dead=""
        for p in $SLURM_CLUSTER_PIDS; do
            _slurm_cluster_alive "$p" || dead="$dead $p"
        done
        if [ -n "$dead" ]; then
            _slurm_cluster_log "a daemon exited (pid$dead)"
            break
        fi
        sleep 0.2
    done
    case "$state" in
    idle*) ;;
    *)
        _slurm_cluster_log "the node did not become idle (state: ${state:-none})"
        _slurm_cluster_dump
        slurm_cluster_stop
        return 1
        ;;
    esac
    _slurm_cluster_log "up in $dir (node $host, $cpus CPUs, ports $ctld_port/$slurmd_port)"
    return 0
}

# slurm_cluster_stop: cancel the cluster's jobs, wait for their steps to end, stop the daemons
# by pid (TERM, then KILL after 10 s). Harmless when nothing runs.
slurm_cluster_stop() {
    local p t left steps
    [ -n "${SLURM_CLUSTER_DIR:-}" ] || return 0
    # The jobs first: slurmd's step daemons (slurmstepd) and the jobs' processes outlive slurmd.
    if [ -n "${SLURM_CONF:-}" ] && [ -n "${SLURM_CLUSTER_PIDS:-}" ]; then
        if [ -n "$(squeue -h -o %i 2>/dev/null || true)" ]; then
            scancel --full --quiet --user=root >/dev/null 2>&1 || true
            for ((t = 0; t < 50; t++)); do
                [ -z "$(squeue -h -o %i 2>/dev/null || true)" ] && break
                sleep 0.2
            done
        fi
        # Then the step daemons of this cluster, if some are left.
        for ((t = 0; t < 50; t++)); do
            steps=$(_slurm_cluster_steps)
            [ -z "$steps" ] && break
            sleep 0.2
        done
        for p in $steps; do
            kill -KILL "$p" 2>/dev/null || true
        done
    fi
    # Daemons in reverse order of start: slurmd, slurmctld, munged.
    for p in $(tr ' ' '\n' <<<"${SLURM_CLUSTER_PIDS:-}" | tac); do
        [ -n "$p" ] || continue
        kill -TERM "$p" 2>/dev/null || true
        for ((t = 0; t < 100; t++)); do
            _slurm_cluster_alive "$p" || break
            sleep 0.1
        done
        if _slurm_cluster_alive "$p"; then
            kill -KILL "$p" 2>/dev/null || true
        fi
        wait "$p" 2>/dev/null || true
    done
    left=""
    for p in ${SLURM_CLUSTER_PIDS:-}; do
        _slurm_cluster_alive "$p" && left="$left $p"
    done
    [ -z "$left" ] || _slurm_cluster_log "still running:$left"
    SLURM_CLUSTER_PIDS=""
    SLURM_CLUSTER_DIR=""
    unset SLURM_CONF
    # Remove the traps slurm_cluster_start installed, not a caller's own.
    [ "$(trap -p EXIT)" != "trap -- 'slurm_cluster_stop' EXIT" ] || trap - EXIT
    [ "$(trap -p INT)" != "trap -- 'slurm_cluster_stop; exit 130' SIGINT" ] || trap - INT
    [ "$(trap -p TERM)" != "trap -- 'slurm_cluster_stop; exit 143' SIGTERM" ] || trap - TERM
    return 0
}

# _slurm_cluster_steps: pids of the slurmstepd processes of this cluster (they keep its slurmd
# log open); slurmd starts them detached, so they are not its children.
_slurm_cluster_steps() {
    local p f
    for p in $(pgrep -x slurmstepd || true); do
        for f in "/proc/$p"/fd/*; do
            case "$(readlink "$f" 2>/dev/null || true)" in
            "$SLURM_CLUSTER_DIR"/*)
                echo "$p"
                break
                ;;
            esac
        done
    done
}

# _slurm_cluster_check: an array job of 4 tasks that write files, submitted with --wait.
_slurm_cluster_check() {
    local out=$SLURM_CLUSTER_DIR/jobs/check i
    mkdir -p "$out"
    # shellcheck disable=SC2016 # expanded by the job
    sbatch --wait --array=0-3 --output="$out/slurm-%A_%a.out" --chdir="$out" \
        --wrap='echo "task $SLURM_ARRAY_TASK_ID on $(hostname -s)" >"task-$SLURM_ARRAY_TASK_ID.txt"' ||
        {
            echo "sbatch --wait failed" >&2
            return 1
        }
    for i in 0 1 2 3; do
        grep -q "^task $i on " "$out/task-$i.txt" 2>/dev/null || {
            echo "array task $i wrote no file" >&2
            return 1
        }
    done
    echo "slurm-cluster: array job of 4 tasks done"
}

# Run as a command (not sourced).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    mode=${1:-}
    [ $# -gt 0 ] && shift
    dir=""
    while [ $# -gt 0 ]; do
        case "$1" in
        --dir=*) dir=${1#--dir=} ;;
        --cpus=*) export SLURM_CLUSTER_CPUS=${1#--cpus=} ;;
        --) shift; break ;;
        *) break ;;
        esac
        shift
    done
    case "$mode" in
    run | check) ;;
    *)
        echo "usage: $0 run [--dir=DIR] [--cpus=N] -- CMD ARGS... | $0 check [--dir=DIR]" >&2
        exit 2
        ;;
    esac
    if ! slurm_cluster_available; then
        echo "slurm-cluster: needs root, munge and slurm-wlm" >&2
        exit 77
    fi
    tmp=""
    if [ -z "$dir" ]; then
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/presec-slurm.XXXXXX")
        dir=$tmp
    fi
    slurm_cluster_start "$dir"
    # Stop, then remove the temporary directory, however this ends.
    trap 'slurm_cluster_stop; [ -z "$tmp" ] || rm -rf "$tmp"' EXIT
    status=0
    if [ "$mode" = check ]; then
        _slurm_cluster_check || status=$?
    else
        [ $# -gt 0 ] || { echo "run: no command" >&2; exit 2; }
        # In the background, so that a signal stops the cluster at once (bash runs traps
        # only between commands); the signal also goes to the command.
        "$@" <&0 &
        cmd=$!
        trap 'kill -TERM "$cmd" 2>/dev/null; slurm_cluster_stop; exit 130' INT
        trap 'kill -TERM "$cmd" 2>/dev/null; slurm_cluster_stop; exit 143' TERM
        wait "$cmd" || status=$?
    fi
    [ "$status" -eq 0 ] || _slurm_cluster_dump
    exit "$status"
fi
