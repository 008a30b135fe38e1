// A deterministic stand-in for libFuzzer, so the fuzz targets run in every ctest pass (normal and ASan)
// with any compiler: it replays the target's seed corpus and the regression inputs under
// tests/fuzz/corpus/<target>/, then runs a seeded mutation loop (bit flips, interesting bytes, truncation,
// length-field edits, inserts, erases, splices of two inputs) until --max-inputs inputs or --max-seconds
// have passed, whichever comes first. Same seed, same inputs: a finding is reproducible.
//
// A finding is an abort (the target's own checks), a crash or a sanitizer report. Before dying the driver
// writes the input to ./crash-<target>-<n>.bin; replay it with `<target> FILE` and, once fixed, copy it
// into tests/fuzz/corpus/<target>/ as a regression seed.
//
// Usage: <target> [--max-inputs N] [--max-seconds S] [--seed N] [--write-corpus DIR] [FILE|DIR ...]
//   FILE|DIR: inputs (a directory: every file in it) replayed before the mutation loop.
//   --write-corpus DIR: write the built-in seeds to DIR (a starting corpus for the libFuzzer build) and exit.
#include "fuzz_driver.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace {

constexpr size_t kMaxInputSize = 70 * 1024; // a little above sccp::kMaxMessageLength

// The input being run, for the crash handler (written with async-signal-safe calls only).
const std::string *g_current = nullptr;
bool g_saved = false;

void saveCurrentInput() {
    if (!g_current || g_saved) return;
    g_saved = true;
    char name[128];
    std::snprintf(name, sizeof name, "crash-%s-%zu.bin", skinnyfuzz::kTargetName, g_current->size());
    const int fd = ::open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return;
    [[maybe_unused]] auto n = ::write(fd, g_current->data(), g_current->size());
    ::close(fd);
    const char msg[] = "fuzz driver: the failing input was written to ";
    [[maybe_unused]] auto m = ::write(2, msg, sizeof msg - 1);
    m = ::write(2, name, std::strlen(name));
    m = ::write(2, "\n", 1);
}

void onFatalSignal(int sig) {
    saveCurrentInput();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void run(const std::string &input) {
    g_current = &input;
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.data()), input.size());
    g_current = nullptr;
}

bool readFile(const std::filesystem::path &path, std::string &out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    return true;
}

void putLe32(std::string &s, size_t at, uint32_t v) {
    for (int i = 0; i < 4 && at + size_t(i) < s.size(); ++i) s[at + size_t(i)] = char(v >> (8 * i));
}
uint32_t getLe32(const std::string &s, size_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4 && at + size_t(i) < s.size(); ++i) v |= uint32_t(uint8_t(s[at + size_t(i)])) << (8 * i);
    return v;
}

class Mutator {
  public:
    explicit Mutator(uint64_t seed) : rng_(seed) {}

    size_t below(size_t n) { return n ? std::uniform_int_distribution<size_t>(0, n - 1)(rng_) : 0; }
    uint8_t byte() { return uint8_t(below(256)); }

    std::string mutate(const std::string &base, const std::vector<std::string> &pool) {
        std::string s = base;
        const size_t rounds = 1 + below(4);
        for (size_t r = 0; r < rounds; ++r) mutateOnce(s, pool);
        if (s.size() > kMaxInputSize) s.resize(kMaxInputSize);
        return s;
    }

  private:
    void mutateOnce(std::string &s, const std::vector<std::string> &pool) {
        static const uint8_t interestingBytes[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x10, 0x20, 0x40};
        switch (below(9)) {
        case 0: // flip one bit
            if (!s.empty()) s[below(s.size())] ^= char(1u << below(8));
            break;
        case 1: // an interesting or random byte
            if (!s.empty())
                s[below(s.size())] = char(below(2) ? interestingBytes[below(sizeof interestingBytes)] : byte());
            break;
        case 2: // truncate
            s.resize(below(s.size() + 1));
            break;
        case 3: // a length field (a frame's, or any aligned u32) set to a value near a boundary
        case 4: {
            std::vector<size_t> offsets = skinnyfuzz::lengthFieldOffsets(s);
            size_t at = !offsets.empty() && below(4) ? offsets[below(offsets.size())] : below(s.size() / 4 + 1) * 4;
            const uint32_t old = getLe32(s, at);
            const uint32_t remaining = uint32_t(s.size() > at + 8 ? s.size() - at - 8 + 4 : 0);
            const uint32_t choices[] = {0,          1,          2,          3,          4,     5,      old - 1,
                                        old + 1,    old - 4,    old + 4,    old * 2,    old / 2, remaining,
                                        remaining + 1, 0xFFFF, 0x10000, 0x10001, 0x7FFFFFFF, 0xFFFFFFFF,
                                        uint32_t(byte())};
            if (at + 4 > s.size()) s.resize(at + 4, '\0');
            putLe32(s, at, choices[below(std::size(choices))]);
            break;
        }
        case 5: { // insert random bytes
            std::string ins(1 + below(16), '\0');
            for (auto &c : ins) c = char(byte());
            s.insert(below(s.size() + 1), ins);
            break;
        }
        case 6: { // erase a chunk
            if (s.empty()) break;
            const size_t at = below(s.size());
            s.erase(at, 1 + below(std::min<size_t>(s.size() - at, 32)));
            break;
        }
        case 7: { // splice: this input's head with another's tail
            const std::string &other = pool[below(pool.size())];
            s = s.substr(0, below(s.size() + 1)) + other.substr(below(other.size() + 1));
            break;
        }
        case 8: { // append another whole input (several frames in one read)
            s += pool[below(pool.size())];
            break;
        }
        }
    }

    std::mt19937_64 rng_;
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: %s [--max-inputs N] [--max-seconds S] [--seed N] [--write-corpus DIR] [FILE|DIR ...]\n",
                 skinnyfuzz::kTargetName);
    std::exit(2);
}

} // namespace

int main(int argc, char **argv) {
    size_t maxInputs = 200000;
    double maxSeconds = 20;
    uint64_t seed = 20261103;
    std::vector<std::filesystem::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        if (a == "--max-inputs") maxInputs = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--max-seconds") maxSeconds = std::strtod(value().c_str(), nullptr);
        else if (a == "--seed") seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--write-corpus") {
            const std::filesystem::path dir = value();
            std::filesystem::create_directories(dir);
            size_t n = 0;
            for (const std::string &s : skinnyfuzz::seedCorpus()) {
                char name[32];
                std::snprintf(name, sizeof name, "seed-%05zu", n++);
                std::ofstream(dir / name, std::ios::binary) << s;
            }
            std::printf("%s: wrote %zu seeds to %s\n", skinnyfuzz::kTargetName, n, dir.c_str());
            return 0;
        } else if (a.starts_with("--")) usage();
        else inputs.emplace_back(a);
    }

    std::signal(SIGABRT, onFatalSignal);
    std::signal(SIGSEGV, onFatalSignal);
    std::signal(SIGBUS, onFatalSignal);
    std::signal(SIGFPE, onFatalSignal);
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(saveCurrentInput);

    std::vector<std::string> pool = skinnyfuzz::seedCorpus();
    const size_t builtIn = pool.size();
    size_t fromFiles = 0;
    for (const auto &path : inputs) {
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(path)) {
            for (const auto &e : std::filesystem::directory_iterator(path))
                if (e.is_regular_file()) files.push_back(e.path());
            std::sort(files.begin(), files.end()); // directory order is not stable
        } else {
            files.push_back(path);
        }
        for (const auto &f : files) {
            std::string s;
            if (!readFile(f, s)) {
                std::fprintf(stderr, "%s: cannot read %s\n", skinnyfuzz::kTargetName, f.c_str());
                return 2;
            }
            pool.push_back(std::move(s));
            ++fromFiles;
        }
    }
    if (pool.empty()) {
        std::fprintf(stderr, "%s: no seeds\n", skinnyfuzz::kTargetName);
        return 2;
    }
    // An empty input and every seed as given.
    run(std::string());
    for (const std::string &s : pool) run(s);

    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    Mutator mutator(seed);
    const size_t poolLimit = pool.size() + 4096;
    size_t executed = 0;
    for (; executed < maxInputs; ++executed) {
        if ((executed & 255) == 0 && elapsed() > maxSeconds) break;
        const std::string input = mutator.mutate(pool[mutator.below(pool.size())], pool);
        run(input);
        // Keep some mutants as bases, so mutations stack up over the run (no coverage feedback here).
        if (pool.size() < poolLimit && mutator.below(16) == 0) pool.push_back(input);
    }
    std::printf("%s: %zu built-in seeds, %zu seed files, %zu mutated inputs in %.1f s (seed %llu): no finding\n",
                skinnyfuzz::kTargetName, builtIn, fromFiles, executed, elapsed(), (unsigned long long)seed);
    return 0;
}
