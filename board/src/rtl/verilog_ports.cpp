#include "l1emu/board/rtl/verilog_ports.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "file_text.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

struct Token {
  std::string text;
  std::size_t line = 0;
};

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$'; }

// Tokens of the file with comments, attributes (* ... *), strings and compiler directives
// (`timescale) dropped: identifiers and numbers as one token, any other character alone.
std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> out;
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (text.compare(i, 2, "//") == 0 || c == '`') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (text.compare(i, 2, "/*") == 0 || (text.compare(i, 2, "(*") == 0 && text.compare(i, 3, "(*)") != 0)) {
      const std::string close = c == '/' ? "*/" : "*)";
      const std::size_t end = text.find(close, i + 2);
      const std::size_t stop = end == std::string::npos ? text.size() : end + 2;
      line += static_cast<std::size_t>(std::count(text.begin() + static_cast<long>(i), text.begin() + static_cast<long>(stop), '\n'));
      i = stop;
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"' && text[j] != '\n') j += text[j] == '\\' ? 2 : 1;
      out.push_back({text.substr(i, j + 1 - i), line});
      i = j + 1;
    } else if (ident_char(c)) {
      std::size_t j = i;
      while (j < text.size() && (ident_char(text[j]) || text[j] == '\'')) ++j;
      out.push_back({text.substr(i, j - i), line});
      i = j;
    } else {
      out.push_back({std::string(1, c), line});
      ++i;
    }
  }
  return out;
}

const std::set<std::string>& net_words() {
  static const std::set<std::string> words{"wire", "reg", "logic", "signed", "unsigned", "var", "tri"};
  return words;
}

bool direction_word(const std::string& t) { return t == "input" || t == "output" || t == "inout"; }

PortDirection direction_of(const std::string& t) {
  return t == "input" ? PortDirection::input : t == "output" ? PortDirection::output : PortDirection::inout;
}

class ModuleReader {
 public:
  ModuleReader(fs::path file, std::vector<Token> tokens) : file_(std::move(file)), t_(std::move(tokens)) {}

  std::vector<VerilogModule> read() {
    std::vector<VerilogModule> modules;
    while (pos_ < t_.size()) {
      if (t_[pos_].text == "module" || t_[pos_].text == "macromodule") {
        modules.push_back(read_module());
      } else {
        ++pos_;
      }
    }
    return modules;
  }

 private:
  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw BoardError(fmt::format("{}:{}: {}", file_.string(), line, what));
  }
  const Token& at(std::size_t k) const {
    if (k >= t_.size()) fail(t_.empty() ? 1 : t_.back().line, "unexpected end of file inside a module");
    return t_[k];
  }
  // Lookahead that may run past the end (an instantiation check at the last statement).
  const std::string& peek(std::size_t k) const {
    static const std::string none;
    return k < t_.size() ? t_[k].text : none;
  }
  void skip_balanced() {  // at '(' : past its ')'
    int depth = 0;
    do {
      const std::string& s = at(pos_).text;
      depth += s == "(" ? 1 : s == ")" ? -1 : 0;
      ++pos_;
    } while (depth > 0);
  }
  // At '[': a range [a:b]; returns its width, 0 when a or b is not a number.
  unsigned read_range(std::string& text) {
    std::string a, b;
    ++pos_;
    while (at(pos_).text != ":" && at(pos_).text != "]") a += at(pos_++).text;
    if (at(pos_).text == ":") {
      ++pos_;
      while (at(pos_).text != "]") b += at(pos_++).text;
    }
    ++pos_;
    text = "[" + a + (b.empty() ? "" : ":" + b) + "]";
    const auto number = [](const std::string& s) {
      return !s.empty() && s.size() < 9 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    };
    if (!number(a) || !(b.empty() || number(b))) return 0;
    const unsigned long hi = std::stoul(a), lo = b.empty() ? hi : std::stoul(b);
    return static_cast<unsigned>((hi > lo ? hi - lo : lo - hi) + 1);
  }
  // A declaration after its direction word: [net words] [range] name {, name}; stops before ';',
  // ')' or the next direction word (ANSI lists).
  void read_declaration(PortDirection dir, std::size_t line, std::vector<VerilogPort>& into) {
    unsigned width = 1;
    std::string range;
    while (net_words().contains(at(pos_).text)) ++pos_;
    if (at(pos_).text == "[") width = read_range(range);
    while (true) {
      const Token& name = at(pos_);
      if (name.text.empty() || !ident_char(name.text[0])) fail(name.line, fmt::format("expected a port name, found '{}'", name.text));
      into.push_back({name.text, dir, width, line, range});
      ++pos_;
      if (at(pos_).text == "[") fail(at(pos_).line, "unpacked array ports are not HLS port conventions");
      if (at(pos_).text != "," || direction_word(at(pos_ + 1).text)) break;
      ++pos_;
    }
  }

  VerilogModule read_module() {
    VerilogModule m;
    m.file = file_;
    m.line = at(pos_).line;
    ++pos_;
    m.name = at(pos_++).text;
    if (at(pos_).text == "#") {
      ++pos_;
      skip_balanced();
    }
    std::vector<std::string> header;
    std::vector<VerilogPort> ansi;
    if (at(pos_).text == "(") {
      ++pos_;
      while (at(pos_).text != ")") {
        if (at(pos_).text == ",") {
          ++pos_;
        } else if (direction_word(at(pos_).text)) {
          const Token& d = at(pos_++);
          read_declaration(direction_of(d.text), d.line, ansi);
        } else {
          header.push_back(at(pos_++).text);
        }
      }
      ++pos_;
    }
    std::map<std::string, VerilogPort> declared;
    for (const auto& p : ansi) declared[p.name] = p;
    std::size_t statement = pos_;  // first token of the current statement
    while (at(pos_).text != "endmodule") {
      const Token& tok = at(pos_);
      if (direction_word(tok.text) && pos_ == statement) {
        ++pos_;
        std::vector<VerilogPort> ports;
        read_declaration(direction_of(tok.text), tok.line, ports);
        for (auto& p : ports) declared[p.name] = p;
        continue;
      }
      if (pos_ == statement && !tok.text.empty() && ident_char(tok.text[0])) {
        // `type [#(...)] instance (` : an instantiation of `type`.
        std::size_t k = pos_ + 1;
        if (peek(k) == "#" && peek(k + 1) == "(") {
          const std::size_t keep = pos_;
          pos_ = k + 1;
          skip_balanced();
          k = pos_;
          pos_ = keep;
        }
        if (!peek(k).empty() && ident_char(peek(k)[0]) && peek(k + 1) == "(") m.instantiates.push_back(tok.text);
      }
      const std::string& s = tok.text;
      ++pos_;
      if (s == ";" || s == "begin" || s == "end" || s == "endcase" || s == "endfunction" || s == "endgenerate" || s == "generate" ||
          s == "endtask") {
        statement = pos_;
      }
    }
    ++pos_;
    if (ansi.empty()) {
      for (const auto& name : header) {
        const auto it = declared.find(name);
        if (it == declared.end()) fail(m.line, fmt::format("module {}: port {} has no input/output declaration", m.name, name));
        m.ports.push_back(it->second);
      }
    } else {
      m.ports = std::move(ansi);
    }
    return m;
  }

  fs::path file_;
  std::vector<Token> t_;
  std::size_t pos_ = 0;
};

}  // namespace

const VerilogPort* VerilogModule::find(const std::string& port) const {
  for (const auto& p : ports) {
    if (p.name == port) return &p;
  }
  return nullptr;
}

std::vector<VerilogModule> read_verilog_modules(const fs::path& file) {
  return ModuleReader(file, tokenize(detail::read_file_text(file))).read();
}

std::vector<fs::path> verilog_files(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw BoardError(dir.string() + ": not a directory");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".v") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

VerilogModule find_top_module(const fs::path& dir, const std::string& top) {
  std::vector<VerilogModule> modules;
  for (const auto& f : verilog_files(dir)) {
    for (auto& m : read_verilog_modules(f)) modules.push_back(std::move(m));
  }
  if (modules.empty()) throw BoardError(dir.string() + ": no Verilog module in a .v file");
  std::set<std::string> instantiated;
  for (const auto& m : modules) instantiated.insert(m.instantiates.begin(), m.instantiates.end());
  std::vector<const VerilogModule*> candidates;
  std::string names;
  for (const auto& m : modules) {
    if (!top.empty() ? m.name == top : !instantiated.contains(m.name)) candidates.push_back(&m);
    names += (names.empty() ? "" : ", ") + m.name;
  }
  if (candidates.empty()) throw BoardError(fmt::format("{}: no module {} (modules: {})", dir.string(), top, names));
  if (candidates.size() > 1) {
    std::string tops;
    for (const auto* m : candidates) tops += (tops.empty() ? "" : ", ") + m->name;
    throw BoardError(fmt::format("{}: {} modules could be the top ({}): choose one with --top", dir.string(), candidates.size(), tops));
  }
  return *candidates.front();
}

}  // namespace l1emu::board
