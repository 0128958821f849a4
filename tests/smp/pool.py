# multiprocessing.Pool(2) with the fork start method: the sum of squares
# of 0..999 from two worker processes, and the CPU count Python sees.
import multiprocessing as mp, os
def sq(x): return x*x
if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(2) as p: print(sum(p.map(sq, range(1000))), os.cpu_count(), len(os.sched_getaffinity(0)))
