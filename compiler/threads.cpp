#include "threads.hpp"

#include <cerrno>
#include <exception>
#include <memory>
#include <system_error>

#include <sched.h>

namespace actjit {

namespace {

struct Start {
    std::function<void()> work;
    cpu_set_t all;  // the creator's affinity, which the thread takes back
    bool restore = false;
};

void* run(void* argument) {
    std::unique_ptr<Start> start(static_cast<Start*>(argument));
    if (start->restore) pthread_setaffinity_np(pthread_self(), sizeof start->all, &start->all);
    try {
        start->work();
    } catch (...) {
        std::terminate();
    }
    return nullptr;
}

}  // namespace

Thread::Thread(std::function<void()> work) {
    auto start = std::make_unique<Start>();
    start->work = std::move(work);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    CPU_ZERO(&start->all);
    if (sched_getaffinity(0, sizeof start->all, &start->all) == 0 && CPU_COUNT(&start->all) > 1) {
        int here = sched_getcpu();
        cpu_set_t elsewhere = start->all;
        if (here >= 0 && CPU_ISSET(here, &elsewhere)) {
            CPU_CLR(here, &elsewhere);
            start->restore = pthread_attr_setaffinity_np(&attributes, sizeof elsewhere, &elsewhere) == 0;
        }
    }
    int failed = pthread_create(&handle_, &attributes, run, start.get());
    pthread_attr_destroy(&attributes);
    if (failed) throw std::system_error(failed, std::generic_category(), "cannot start a thread");
    start.release();  // run() owns it
}

Thread::~Thread() {
    if (joinable_) join();
}

void Thread::join() {
    if (!joinable_) return;
    pthread_join(handle_, nullptr);
    joinable_ = false;
}

void Thread::detach() {
    if (!joinable_) return;
    pthread_detach(handle_);
    joinable_ = false;
}

}  // namespace actjit
