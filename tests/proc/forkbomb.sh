# A fork bomb under bash (run in the guest only: natively it would take the
# host down), as a user whose processes are limited (RLIMIT_NPROC 300, set
# as an administrator would with ulimit -u): its forks fail with EAGAIN
# while PID 1, root, goes on. After 5 s the bomb's group is killed; PID 1,
# which inherits the orphans, reaps them all and ends with its own status.
set -m
/asuser 1000 300 /bin/bash -c 'bomb() { bomb | bomb & }; bomb; wait' 2>/tmp/bomb.err &
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
echo "forks failed: $(grep -c -m1 'fork: .*Resource temporarily unavailable' /tmp/bomb.err)"
echo "processes left: $n"
exit 42
