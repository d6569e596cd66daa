#include "thread_pool.hpp"

namespace actjit::runtime {

ThreadPool& ThreadPool::instance() {
    static ThreadPool pool;
    return pool;
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
}

void ThreadPool::run(int workers, const std::function<void(int)>& task) {
    if (workers <= 1) {
        task(0);
        return;
    }
    std::unique_lock<std::mutex> job(run_, std::try_to_lock);
    if (!job.owns_lock()) {
        for (int w = 0; w < workers; ++w) task(w);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        while (static_cast<int>(threads_.size()) < workers - 1) {
            int index = static_cast<int>(threads_.size()) + 1;
            threads_.emplace_back([this, index] { work(index); });
        }
        task_ = &task;
        wanted_ = workers;
        remaining_ = workers - 1;
        ++generation_;
    }
    wake_.notify_all();
    task(0);
    std::unique_lock<std::mutex> lock(mutex_);
    finished_.wait(lock, [&] { return remaining_ == 0; });
    task_ = nullptr;
}

void ThreadPool::work(int index) {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        if (index >= wanted_) continue;  // this job needs fewer threads
        const std::function<void(int)>* task = task_;
        lock.unlock();
        (*task)(index);
        lock.lock();
        if (--remaining_ == 0) finished_.notify_one();
    }
}

}  // namespace actjit::runtime
