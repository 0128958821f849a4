# A fork bomb under bash (run in the guest only: natively it would take the
# host down). The bomb runs for 5 s as a job of its own group, until forks
# fail for want of processes (EAGAIN, RLIMIT_NPROC) or memory (ENOMEM, and
# the out-of-memory killer); then the whole group is killed, and PID 1,
# which inherits the orphans, reaps them all and ends with its own status.
bomb() { bomb | bomb & }
set -m
( bomb ) 2>/tmp/bomb.err &
job=$!
sleep 5
kill -KILL -- -$job
wait
count() { n=0; for d in /proc/[0-9]*; do n=$((n + 1)); done; }
for i in $(seq 1 300); do
	count
	[ "$n" = 1 ] && break
	sleep 0.1
done
echo "forks failed: $(grep -c -m1 -E '(Resource temporarily unavailable|Cannot allocate memory)' /tmp/bomb.err)"
echo "processes left: $n"
exit 42
