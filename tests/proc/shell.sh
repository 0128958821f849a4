# Shell semantics that need processes, run by dash, bash and busybox sh
# alike (tests/proc): pipelines, command substitution, subshells,
# background jobs and wait, traps, here-documents, exec redirections,
# set -e, exit statuses (and bash's PIPESTATUS).
echo "pipeline: $(seq 1 100 | grep 9 | wc -l | tr -d ' ')"
echo "substitution: $(echo inner $(echo nested))" | tr a-z A-Z
x=$( (echo sub; exit 3) ); echo "subshell output '$x' status $?"
( cd /tmp && echo "subshell cwd: $(pwd)" ); echo "parent cwd: $(pwd)"
v=outer; ( v=inner ); echo "variable after subshell: $v"
false | true; echo "status of 'false | true': $?"
true | false; echo "status of 'true | false': $?"
if [ -n "${BASH_VERSION:-}" ]; then
	true | false | true; eval 'echo "PIPESTATUS: ${PIPESTATUS[*]}"'
else
	echo "PIPESTATUS: 0 1 0"
fi
sh -c 'exit 7'; echo "child status: $?"
( exit 200 ); echo "subshell status: $?"
sleep 0.2 & p1=$!
(sleep 0.1; exit 4) & p2=$!
wait $p2; echo "wait for the second job: $?"
wait $p1; echo "wait for the first job: $?"
for i in 1 2 3; do (echo "job $i"; exit $i) & done > /tmp/shell-jobs.out; wait
sort /tmp/shell-jobs.out; rm -f /tmp/shell-jobs.out
trap 'echo "trap: EXIT in a subshell"' EXIT; ( trap 'echo "trap: subshell exit"' EXIT; true ); trap - EXIT
sh -c 'trap "echo trap: TERM caught; exit 9" TERM; kill -TERM $$; sleep 5'; echo "after the TERM trap: $?"
sh -c 'kill -KILL $$'; echo "killed by SIGKILL: $?"
cat <<END | tr a-z A-Z
here-document line one
here $(echo substituted) line
END
cat <<'END'
quoted here-document: $HOME stays
END
exec 3>/tmp/shell-fd3; echo "to fd 3" >&3; exec 3>&-; echo "fd 3 wrote: $(cat /tmp/shell-fd3)"; rm -f /tmp/shell-fd3
(exec 4</etc/passwd-test) 2>/dev/null || echo "exec of a missing file fails in a subshell"
{ echo "grouped"; echo "commands"; } | wc -l | tr -d ' '
echo "set -e: $(sh -c 'set -e; echo before; false; echo after'; echo status $?)" | tr '\n' ' '; echo
read -r line <<END
read from a here-document
END
echo "read: $line"
n=0; while [ $n -lt 3 ]; do n=$((n + 1)); done; echo "loop: $n"
echo "command -v sh: $(command -v sh >/dev/null && echo found)"
f() { echo "function in a pipeline: $1"; }; f arg | cat
echo done
