// actjit accuracy's measurements: ULP errors, their histogram and per-component
// statistics (accuracy.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <unistd.h>

#include "accuracy.hpp"

namespace actjit::cli {

int Histogram::bin(double ulps) {
    if (ulps == 0) return 0;
    if (std::isinf(ulps) || std::isnan(ulps)) return bins - 1;
    double b = std::floor((std::log2(ulps) + 10) * 32) + 2;
    return static_cast<int>(std::clamp(b, 1.0, static_cast<double>(bins - 2)));
}

double Histogram::upper(int b) {
    if (b == 0) return 0;
    if (b == bins - 1) return INFINITY;
    return std::exp2(static_cast<double>(b - 1) / 32 - 10);
}

double Histogram::percentile(double fraction) const {
    uint64_t total = 0;
    for (uint64_t c : counts) total += c;
    if (total == 0) return 0;
    uint64_t need = static_cast<uint64_t>(std::ceil(fraction * static_cast<double>(total))), seen = 0;
    for (int b = 0; b < bins; ++b) {
        seen += counts[static_cast<size_t>(b)];
        if (seen >= need) return upper(b);
    }
    return INFINITY;
}

void Component::add(double ulps, double b, const std::vector<double>& x, bool near_root) {
    if (b >= 0) {  // (a negative b: not counted, the truth is not a finite number)
        bits += b;
        ++bit_points;
    }
    Stats& s = near_root ? near : all;
    if (s.points++ == 0 || ulps > s.max) {
        s.max = ulps;
        s.worst = x;
    }
    if (!near_root) histogram.counts[static_cast<size_t>(Histogram::bin(ulps))]++;
}

void Component::merge(const Component& o) {
    for (auto [mine, theirs] : {std::pair{&all, &o.all}, std::pair{&near, &o.near}}) {
        mine->points += theirs->points;
        if (theirs->points && (mine->points == theirs->points || theirs->max > mine->max)) {
            mine->max = theirs->max;
            mine->worst = theirs->worst;
        }
    }
    for (size_t b = 0; b < histogram.counts.size(); ++b) histogram.counts[b] += o.histogram.counts[b];
    bits += o.bits;
    bit_points += o.bit_points;
}


void Counts::merge(const Counts& o) {
    for (size_t k = 0; k < of.size(); ++k) of[k] += o.of[k];
    checked += o.checked;
    outside += o.outside;
    nan_inputs += o.nan_inputs;
    if (nan_violations == 0 && o.nan_violations) nan_example = o.nan_example;
    nan_violations += o.nan_violations;
}

Progress::Progress(std::string label, uint64_t blocks, uint64_t already)
    : label_(std::move(label)), blocks_(blocks), already_(already), terminal_(isatty(2) != 0),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void Progress::show(uint64_t finished, bool at_once) {
    auto now = std::chrono::steady_clock::now();
    double since = std::chrono::duration<double>(now - last_).count();
    if (!at_once && since < (terminal_ ? 0.5 : 30.0)) return;
    last_ = now;
    double elapsed = std::chrono::duration<double>(now - start_).count();
    double done = static_cast<double>(finished - already_), left = static_cast<double>(blocks_ - finished);
    std::string eta = done > 0 ? fmt::format("{:.0f} s", elapsed / done * left) : std::string("?");
    std::string line = fmt::format("{}: {:.1f} % ({} of {} blocks), {:.0f} s, about {} to go", label_,
                                   100.0 * static_cast<double>(finished) / static_cast<double>(blocks_), finished, blocks_,
                                   elapsed, eta);
    if (terminal_) fmt::print(stderr, "\r{}\x1b[K", line);
    else fmt::print(stderr, "{}\n", line);
    std::fflush(stderr);
    shown_ = true;
}

void Progress::finish() {
    if (shown_ && terminal_) fmt::print(stderr, "\r\x1b[K");
}

Checkpoint::Checkpoint(std::string path, std::string key)
    : path_(std::move(path)), key_(std::move(key)), last_(std::chrono::steady_clock::now()) {
    std::ifstream in(path_);
    std::string first;
    if (in && std::getline(in, first) && first == key_) {
        std::stringstream rest;
        rest << in.rdbuf();
        text_ = rest.str();
    }
}

bool Checkpoint::due() {
    auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_).count() < 30) return false;
    last_ = now;
    return true;
}

// Lines: "blocks" and one character per block; "counts" and Counts' numbers; per
// component "stats" (points, max, worst inputs for all and near) and "histogram" (the
// bins that are not empty, bin:count). Doubles in hexadecimal, exact.
void Checkpoint::save(const std::vector<Component>& components, const Counts& c, const std::vector<char>& done) {
    std::string out = key_ + "\nblocks ";
    for (char d : done) out += d ? '1' : '0';
    out += fmt::format("\ncounts {} {} {} {} {} {} {} {}\n", c.of[0], c.of[1], c.of[2], c.of[3], c.checked, c.outside,
                       c.nan_inputs, c.nan_violations);
    auto stats = [](const Component::Stats& s) {
        std::string t = fmt::format("{} {:a} {}", s.points, s.max, s.worst.size());
        for (double v : s.worst) t += fmt::format(" {:a}", v);
        return t;
    };
    for (const Component& k : components) {
        out += "stats " + stats(k.all) + " " + stats(k.near) + fmt::format(" {:a} {}", k.bits, k.bit_points) + "\nhistogram";
        for (size_t b = 0; b < k.histogram.counts.size(); ++b)
            if (k.histogram.counts[b]) out += fmt::format(" {}:{}", b, k.histogram.counts[b]);
        out += "\n";
    }
    std::string temporary = path_ + ".new";
    {
        std::ofstream file(temporary, std::ios::trunc);
        file << out;
        if (!file) throw std::runtime_error("cannot write the checkpoint " + temporary);
    }
    std::filesystem::rename(temporary, path_);
}

void Checkpoint::load(std::vector<Component>& components, Counts& c, std::vector<char>& done) const {
    std::istringstream in(text_);
    std::string word, blocks;
    in >> word >> blocks;
    if (word != "blocks" || blocks.size() != done.size()) throw std::runtime_error("a damaged checkpoint: " + path_);
    for (size_t b = 0; b < done.size(); ++b) done[b] = blocks[b] == '1';
    in >> word >> c.of[0] >> c.of[1] >> c.of[2] >> c.of[3] >> c.checked >> c.outside >> c.nan_inputs >> c.nan_violations;
    auto number = [&] {
        std::string t;
        in >> t;
        return std::strtod(t.c_str(), nullptr);
    };
    auto stats = [&](Component::Stats& s) {
        size_t n = 0;
        in >> s.points;
        s.max = number();
        in >> n;
        s.worst.clear();
        for (size_t i = 0; i < n; ++i) s.worst.push_back(number());
    };
    for (Component& k : components) {
        in >> word;
        stats(k.all);
        stats(k.near);
        k.bits = number();
        in >> k.bit_points;
        in >> word;
        std::string line;
        std::getline(in, line);
        std::istringstream bins(line);
        std::string pair;
        while (bins >> pair) {
            size_t colon = pair.find(':');
            size_t b = std::stoul(pair.substr(0, colon));
            if (b < k.histogram.counts.size()) k.histogram.counts[b] = std::stoull(pair.substr(colon + 1));
        }
    }
    if (!in) throw std::runtime_error("a damaged checkpoint: " + path_);
}

void Checkpoint::remove() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

}  // namespace actjit::cli
