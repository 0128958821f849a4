// Two worker_threads each sum a range and post it to the main thread:
// the total, and the parallelism node sees (os.availableParallelism: the
// affinity mask).
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const os = require('os');
if (isMainThread) {
	let done = 0, total = 0;
	for (let i = 0; i < 2; i++) {
		const w = new Worker(__filename, { workerData: i });
		w.on('message', (v) => {
			total += v;
			if (++done === 2)
				console.log('sum', total, 'cpus', os.availableParallelism());
		});
	}
} else {
	let s = 0;
	for (let k = 0; k < 1e6; k++)
		s += (k + workerData) % 7;
	parentPort.postMessage(s);
}
