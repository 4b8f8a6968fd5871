#pragma once
// L1 trigger objects in hardware units, with the uGT input field layout and scales of
// shared/FACTS.md section 5 (Run 3, MP7 uGT links).
//
// Conversion physical -> hardware (from_physical), one rule for every field:
//  - pT/Et: code = floor(pT / 0.5 GeV + 0.5) (round half up), saturated to the field's maximum;
//    negative or NaN pT gives 0 (0 means "no object" for every class).
//  - eta: code = floor(eta / LSB + 0.5), saturated to the two's-complement range of the field.
//  - phi: wrapped into [0, 2 pi), code = floor(phi / LSB + 0.5) modulo the number of bins.
// Conversion hardware -> physical (to_physical): pT = code x 0.5 GeV, eta = code x LSB,
// phi = code x LSB mapped into (-pi, pi]. from_physical(to_physical(x)) == x for every code.
// pack() and unpack() are defined inline below: the link protocols call them for every object of
// every event, and an out-of-line call per 32-bit word cost more than the shifts themselves.
#include <cstdint>

namespace l1emu::stream {

/// Object kinds in uGT order. Enum indices instead of bare numbers.
enum class ObjectKind : std::uint8_t { muon, egamma, tau, jet, energy_sum };

/// One object in physical units (GeV, rad). Empty objects have pt == 0.
struct PhysicalObject {
  double pt = 0.0;
  double eta = 0.0;
  double phi = 0.0;
  friend bool operator==(const PhysicalObject&, const PhysicalObject&) = default;
};

/// Scales of FACTS section 5.
namespace scales {
inline constexpr double kPtLsbGeV = 0.5;
inline constexpr double kMuonEtaLsb = 0.010875;
inline constexpr double kCaloEtaLsb = 0.0435;
inline constexpr int kMuonPhiBins = 576;
inline constexpr int kCaloPhiBins = 144;
}  // namespace scales

/// Muon, 64 bits: phi at vertex 9:0, pT 18:10, quality 22:19, eta at vertex 31:23 (two's
/// complement), iso 33:32, charge 34, charge valid 35, index 42:36, phi at the muon system 52:43,
/// unconstrained pT 60:53, shower 61, dxy 63:62.
struct Muon {
  std::uint16_t hw_pt = 0;   // 9 bits, 0 = invalid
  std::int16_t hw_eta = 0;   // 9 bits signed
  std::uint16_t hw_phi = 0;  // 10 bits, 576 bins
  std::uint8_t quality = 0;  // 4 bits
  std::uint8_t iso = 0;      // 2 bits
  std::uint8_t charge = 0;   // 1 bit
  std::uint8_t charge_valid = 0;
  std::uint8_t index = 0;              // 7 bits
  std::uint16_t hw_phi_out = 0;        // 10 bits, phi at the muon system
  std::uint8_t hw_pt_unconstrained = 0;  // 8 bits
  std::uint8_t shower = 0;             // 1 bit
  std::uint8_t dxy = 0;                // 2 bits

  static constexpr int kPtBits = 9;
  static constexpr int kEtaBits = 9;

  [[nodiscard]] std::uint64_t pack() const;
  [[nodiscard]] static Muon unpack(std::uint64_t word);
  [[nodiscard]] PhysicalObject to_physical() const;
  /// Sets pT, eta and both phi fields; quality 12 (the best single-muon class) when valid.
  [[nodiscard]] static Muon from_physical(const PhysicalObject& p);
  [[nodiscard]] bool valid() const { return hw_pt != 0; }
  friend bool operator==(const Muon&, const Muon&) = default;
};

/// Calorimeter e/gamma or tau, 32 bits: Et 8:0, eta 16:9 (two's complement), phi 24:17, iso 26:25.
struct CaloObject {
  std::uint16_t hw_et = 0;  // 9 bits
  std::int16_t hw_eta = 0;  // 8 bits signed
  std::uint16_t hw_phi = 0; // 8 bits, 144 bins
  std::uint8_t iso = 0;     // 2 bits

  static constexpr int kEtBits = 9;
  static constexpr int kEtaBits = 8;

  [[nodiscard]] std::uint32_t pack() const;
  [[nodiscard]] static CaloObject unpack(std::uint32_t word);
  [[nodiscard]] PhysicalObject to_physical() const;
  [[nodiscard]] static CaloObject from_physical(const PhysicalObject& p);
  [[nodiscard]] bool valid() const { return hw_et != 0; }
  friend bool operator==(const CaloObject&, const CaloObject&) = default;
};

struct EGamma : CaloObject {
  [[nodiscard]] static EGamma unpack(std::uint32_t word) { return {CaloObject::unpack(word)}; }
  [[nodiscard]] static EGamma from_physical(const PhysicalObject& p) { return {CaloObject::from_physical(p)}; }
  friend bool operator==(const EGamma&, const EGamma&) = default;
};

struct Tau : CaloObject {
  [[nodiscard]] static Tau unpack(std::uint32_t word) { return {CaloObject::unpack(word)}; }
  [[nodiscard]] static Tau from_physical(const PhysicalObject& p) { return {CaloObject::from_physical(p)}; }
  friend bool operator==(const Tau&, const Tau&) = default;
};

/// Jet, 32 bits: Et 10:0, eta 18:11 (two's complement), phi 26:19.
struct Jet {
  std::uint16_t hw_et = 0;  // 11 bits
  std::int16_t hw_eta = 0;  // 8 bits signed
  std::uint16_t hw_phi = 0; // 8 bits, 144 bins

  static constexpr int kEtBits = 11;
  static constexpr int kEtaBits = 8;

  [[nodiscard]] std::uint32_t pack() const;
  [[nodiscard]] static Jet unpack(std::uint32_t word);
  [[nodiscard]] PhysicalObject to_physical() const;
  [[nodiscard]] static Jet from_physical(const PhysicalObject& p);
  [[nodiscard]] bool valid() const { return hw_et != 0; }
  friend bool operator==(const Jet&, const Jet&) = default;
};

/// Energy sum, 32 bits: Et 11:0 (0.5 GeV), phi 19:12 (144 bins; meaningful for missing sums only).
struct EnergySum {
  std::uint16_t hw_et = 0;  // 12 bits
  std::uint16_t hw_phi = 0; // 8 bits

  static constexpr int kEtBits = 12;

  [[nodiscard]] std::uint32_t pack() const;
  [[nodiscard]] static EnergySum unpack(std::uint32_t word);
  /// eta is always 0 (the dataset's MET row has eta 0, FACTS section 3).
  [[nodiscard]] PhysicalObject to_physical() const;
  [[nodiscard]] static EnergySum from_physical(const PhysicalObject& p);
  friend bool operator==(const EnergySum&, const EnergySum&) = default;
};

/// Link-10 order of the six sums (FACTS section 5).
enum class SumKind : std::uint8_t { ett, ht, etm, htm, etmhf, htmhf };
inline constexpr int kSumCount = 6;

// ---- word layouts (FACTS section 5) ------------------------------------------------------------

namespace detail {
[[nodiscard]] constexpr std::uint64_t field(std::uint64_t word, int lo, int bits) { return (word >> lo) & ((std::uint64_t{1} << bits) - 1); }
[[nodiscard]] constexpr std::uint64_t put(std::uint64_t value, int lo, int bits) { return (value & ((std::uint64_t{1} << bits) - 1)) << lo; }
/// Two's-complement field -> signed value.
[[nodiscard]] constexpr std::int32_t sign_extend(std::uint64_t value, int bits) {
  const auto v = static_cast<std::int64_t>(value);
  const std::int64_t half = std::int64_t{1} << (bits - 1);
  return static_cast<std::int32_t>(v >= half ? v - 2 * half : v);
}
[[nodiscard]] constexpr std::uint64_t signed_bits(std::int16_t v) { return static_cast<std::uint64_t>(static_cast<std::uint16_t>(v)); }
}  // namespace detail

inline std::uint64_t Muon::pack() const {
  using detail::put;
  return put(hw_phi, 0, 10) | put(hw_pt, 10, 9) | put(quality, 19, 4) | put(detail::signed_bits(hw_eta), 23, 9) | put(iso, 32, 2) |
         put(charge, 34, 1) | put(charge_valid, 35, 1) | put(index, 36, 7) | put(hw_phi_out, 43, 10) | put(hw_pt_unconstrained, 53, 8) |
         put(shower, 61, 1) | put(dxy, 62, 2);
}

inline Muon Muon::unpack(std::uint64_t w) {
  using detail::field;
  Muon m;
  m.hw_phi = static_cast<std::uint16_t>(field(w, 0, 10));
  m.hw_pt = static_cast<std::uint16_t>(field(w, 10, 9));
  m.quality = static_cast<std::uint8_t>(field(w, 19, 4));
  m.hw_eta = static_cast<std::int16_t>(detail::sign_extend(field(w, 23, 9), 9));
  m.iso = static_cast<std::uint8_t>(field(w, 32, 2));
  m.charge = static_cast<std::uint8_t>(field(w, 34, 1));
  m.charge_valid = static_cast<std::uint8_t>(field(w, 35, 1));
  m.index = static_cast<std::uint8_t>(field(w, 36, 7));
  m.hw_phi_out = static_cast<std::uint16_t>(field(w, 43, 10));
  m.hw_pt_unconstrained = static_cast<std::uint8_t>(field(w, 53, 8));
  m.shower = static_cast<std::uint8_t>(field(w, 61, 1));
  m.dxy = static_cast<std::uint8_t>(field(w, 62, 2));
  return m;
}

inline std::uint32_t CaloObject::pack() const {
  using detail::put;
  return static_cast<std::uint32_t>(put(hw_et, 0, 9) | put(detail::signed_bits(hw_eta), 9, 8) | put(hw_phi, 17, 8) | put(iso, 25, 2));
}

inline CaloObject CaloObject::unpack(std::uint32_t w) {
  using detail::field;
  CaloObject c;
  c.hw_et = static_cast<std::uint16_t>(field(w, 0, 9));
  c.hw_eta = static_cast<std::int16_t>(detail::sign_extend(field(w, 9, 8), 8));
  c.hw_phi = static_cast<std::uint16_t>(field(w, 17, 8));
  c.iso = static_cast<std::uint8_t>(field(w, 25, 2));
  return c;
}

inline std::uint32_t Jet::pack() const {
  using detail::put;
  return static_cast<std::uint32_t>(put(hw_et, 0, 11) | put(detail::signed_bits(hw_eta), 11, 8) | put(hw_phi, 19, 8));
}

inline Jet Jet::unpack(std::uint32_t w) {
  using detail::field;
  Jet j;
  j.hw_et = static_cast<std::uint16_t>(field(w, 0, 11));
  j.hw_eta = static_cast<std::int16_t>(detail::sign_extend(field(w, 11, 8), 8));
  j.hw_phi = static_cast<std::uint16_t>(field(w, 19, 8));
  return j;
}

inline std::uint32_t EnergySum::pack() const { return static_cast<std::uint32_t>(detail::put(hw_et, 0, 12) | detail::put(hw_phi, 12, 8)); }

inline EnergySum EnergySum::unpack(std::uint32_t w) {
  return {static_cast<std::uint16_t>(detail::field(w, 0, 12)), static_cast<std::uint16_t>(detail::field(w, 12, 8))};
}

/// Hardware codes <-> physical values for the individual fields, exposed for tests and builders.
namespace hw {
[[nodiscard]] std::uint32_t pt_code(double pt_gev, int bits);
[[nodiscard]] std::int32_t eta_code(double eta, double lsb, int bits);
[[nodiscard]] std::uint32_t phi_code(double phi, int bins);
[[nodiscard]] double phi_value(std::uint32_t code, int bins);
}  // namespace hw

}  // namespace l1emu::stream
