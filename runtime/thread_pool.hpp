// The runtime's worker threads: started once, on the first call that asks for more than
// one thread, and kept (a call costs a wake-up, not a thread start). Internal to the
// runtime; host programs see only Kernel's `threads` argument.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace actjit::runtime {

class ThreadPool {
public:
    static ThreadPool& instance();
    ~ThreadPool();

    // Runs task(w) for every w in [0, workers), the calling thread taking w = 0, and
    // returns when all have. When another call holds the pool, runs every w on the
    // calling thread instead (so host threads never wait for each other).
    void run(int workers, const std::function<void(int)>& task);

private:
    void work(int index);

    std::mutex run_;  // one job at a time
    std::mutex mutex_;
    std::condition_variable wake_, finished_;
    std::vector<std::thread> threads_;
    const std::function<void(int)>* task_ = nullptr;
    uint64_t generation_ = 0;
    int wanted_ = 0;     // workers of the current job, the caller included
    int remaining_ = 0;  // pool threads still running it
    bool stop_ = false;
};

}  // namespace actjit::runtime
