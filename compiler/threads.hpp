// Threads that start at once on another CPU.
//
// Linux puts a new thread on its creator's CPU and moves it to an idle one only when it
// next balances the load, up to a scheduler tick later: measured on the 2-core machine
// of docs/BENCHMARKS.md, a thread created while its creator computes starts after a
// median of 2.3 ms (up to 5 ms), against 54 µs when created with an affinity that leaves
// out the creator's CPU. A compile split over two threads takes 2-5 ms in all, so its
// second thread is made that way; once it runs, it takes back the process's whole
// affinity (so it may move later like any thread).
#pragma once

#include <functional>

#include <pthread.h>

namespace actjit {

class Thread {
public:
    // Runs `work` on a new thread (std::system_error if none can be made). An exception
    // leaving `work` ends the process, as with std::thread.
    explicit Thread(std::function<void()> work);
    Thread(const Thread&) = delete;
    Thread& operator=(const Thread&) = delete;
    ~Thread();  // joins, unless detached

    void join();
    void detach();

private:
    pthread_t handle_{};
    bool joinable_ = true;
};

}  // namespace actjit
