// A fixed pool of 4 threads sums 8 tasks: the total, and the processors
// the JVM sees (Runtime.availableProcessors: the affinity mask).
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class Pool {
	public static void main(String[] args) throws Exception {
		ExecutorService ex = Executors.newFixedThreadPool(4);
		List<Future<Long>> parts = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			final int k = t;
			parts.add(ex.submit(() -> {
				long s = 0;
				for (int i = 0; i < 2000000; i++)
					s += (i ^ k) % 13;
				return s;
			}));
		}
		long sum = 0;
		for (Future<Long> f : parts)
			sum += f.get();
		ex.shutdown();
		System.out.println("sum " + sum + " cpus " + Runtime.getRuntime().availableProcessors());
	}
}
