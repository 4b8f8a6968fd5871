#pragma once
// A small deterministic random source: xoshiro256** seeded through splitmix64, with distributions
// written out here (not std::*_distribution, whose algorithms differ between standard libraries),
// so a seed gives the same numbers with any compiler and standard library; their log, sin, cos and
// exp are portable_math's (not libm's, whose last bits differ between implementations).
#include <cmath>
#include <cstdint>
#include <numbers>

#include "l1emu/stream/portable_math.h"

namespace l1emu::stream {

class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (auto& s : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform in (0, 1]: safe for log().
  double uniform_open0() { return 1.0 - uniform(); }
  double exponential(double mean) { return -mean * portable_math::log(uniform_open0()); }
  /// Box-Muller; the second value is kept for the next call.
  double normal(double mean = 0.0, double sigma = 1.0) {
    if (has_spare_) {
      has_spare_ = false;
      return mean + sigma * spare_;
    }
    const double r = std::sqrt(-2.0 * portable_math::log(uniform_open0()));
    const auto [sin_a, cos_a] = portable_math::sin_cos(2.0 * std::numbers::pi * uniform());
    spare_ = r * sin_a;
    has_spare_ = true;
    return mean + sigma * r * cos_a;
  }
  /// Knuth's multiplication method; fine for the small means used here.
  int poisson(double mean) {
    const double limit = portable_math::exp(-mean);
    int k = 0;
    double p = uniform_open0();
    while (p > limit) {
      ++k;
      p *= uniform_open0();
    }
    return k;
  }
  bool bernoulli(double p) { return uniform() < p; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4]{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace l1emu::stream
