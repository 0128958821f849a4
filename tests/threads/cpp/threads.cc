// C++ threads: std::thread with a std::mutex-protected counter, std::async
// (std::launch::async) futures, a std::condition_variable producer/consumer
// queue, std::promise, thread_local, std::atomic, and a timed wait
// (wait_for). Prints a deterministic summary; exit 0 on success.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>
#include <numeric>
#include <queue>
#include <thread>
#include <vector>

static int failures;
#define CHECK(c)                                                   \
	do {                                                       \
		if (!(c)) {                                        \
			failures++;                                \
			std::printf("FAILED line %d: %s\n", __LINE__, #c); \
		}                                                  \
	} while (0)

thread_local int tls_value = 7;

int main()
{
	std::setvbuf(stdout, nullptr, _IOLBF, 0);
	const int N = 8;

	// std::thread + mutex
	{
		std::mutex m;
		long counter = 0;
		std::atomic<long> acounter{0};
		std::vector<std::thread> ts;
		for (int i = 0; i < N; i++)
			ts.emplace_back([&] {
				for (int k = 0; k < 10000; k++) {
					std::lock_guard<std::mutex> g(m);
					counter++;
					acounter.fetch_add(1, std::memory_order_relaxed);
				}
			});
		for (auto &t : ts)
			t.join();
		CHECK(counter == N * 10000L && acounter == N * 10000L);
		std::printf("thread+mutex: %d threads, counter %ld, atomic %ld\n", N, counter,
			    acounter.load());
	}

	// std::async
	{
		std::vector<std::future<long>> fs;
		for (int i = 1; i <= N; i++)
			fs.push_back(std::async(std::launch::async, [i] {
				long s = 0;
				for (int k = 1; k <= i * 1000; k++)
					s += k;
				return s;
			}));
		long total = 0;
		for (auto &f : fs)
			total += f.get();
		long want = 0;
		for (long i = 1; i <= N; i++)
			want += i * 1000 * (i * 1000 + 1) / 2;
		CHECK(total == want);
		std::printf("async: %d futures, total %ld\n", N, total);
	}

	// condition_variable: a bounded queue, 3 producers, 3 consumers
	{
		std::mutex m;
		std::condition_variable not_empty, not_full;
		std::queue<int> q;
		const int per = 500, cap = 4;
		long sum = 0;
		auto producer = [&](int base) {
			for (int k = 1; k <= per; k++) {
				std::unique_lock<std::mutex> l(m);
				not_full.wait(l, [&] { return (int)q.size() < cap; });
				q.push(base + k);
				not_empty.notify_one();
			}
		};
		auto consumer = [&] {
			long local = 0;
			for (int k = 0; k < per; k++) {
				std::unique_lock<std::mutex> l(m);
				not_empty.wait(l, [&] { return !q.empty(); });
				local += q.front();
				q.pop();
				not_full.notify_one();
			}
			std::lock_guard<std::mutex> g(m);
			sum += local;
		};
		std::vector<std::thread> ts;
		for (int i = 0; i < 3; i++)
			ts.emplace_back(producer, i * per);
		for (int i = 0; i < 3; i++)
			ts.emplace_back(consumer);
		for (auto &t : ts)
			t.join();
		long n = 3L * per;
		CHECK(sum == n * (n + 1) / 2);
		std::printf("condition_variable: %ld items, sum %ld\n", n, sum);
	}

	// promise/future across threads, wait_for timeouts
	{
		std::promise<int> p;
		std::future<int> f = p.get_future();
		CHECK(f.wait_for(std::chrono::milliseconds(20)) == std::future_status::timeout);
		std::thread t([&p] {
			std::this_thread::sleep_for(std::chrono::milliseconds(30));
			p.set_value(42);
		});
		CHECK(f.get() == 42);
		t.join();
		std::mutex m;
		std::condition_variable cv;
		std::unique_lock<std::mutex> l(m);
		auto t0 = std::chrono::steady_clock::now();
		bool woke = cv.wait_for(l, std::chrono::milliseconds(50), [] { return false; });
		auto el = std::chrono::steady_clock::now() - t0;
		CHECK(!woke && el >= std::chrono::milliseconds(45));
		std::printf("promise: 42; wait_for: timed out\n");
	}

	// thread_local
	{
		tls_value = 100;
		std::vector<int> seen(N);
		std::vector<std::thread> ts;
		for (int i = 0; i < N; i++)
			ts.emplace_back([&seen, i] {
				int start = tls_value;	// a fresh copy: 7
				tls_value = i;
				std::this_thread::yield();
				seen[i] = start * 100 + tls_value;
			});
		for (auto &t : ts)
			t.join();
		int sum = std::accumulate(seen.begin(), seen.end(), 0);
		CHECK(sum == N * 700 + N * (N - 1) / 2 && tls_value == 100);
		std::printf("thread_local: sum %d, main %d\n", sum, tls_value);
	}

	// exceptions through a future
	{
		auto f = std::async(std::launch::async, []() -> int { throw 5; });
		int caught = 0;
		try {
			f.get();
		} catch (int e) {
			caught = e;
		}
		CHECK(caught == 5);
		std::printf("exception through future: %d\n", caught);
	}

	std::printf("%s\n", failures ? "c++ threads FAILED" : "c++ threads ok");
	return failures != 0;
}
