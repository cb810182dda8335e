#include "src/normalize/config.h"

#include <initializer_list>

namespace matchguard {
namespace {

// Top-level tables that belong to other parts of the config file.
constexpr std::string_view kOtherTables[] = {"blocking", "comparisons", "model", "link"};

class InputConfigReader {
 public:
  explicit InputConfigReader(std::string source) : source_(std::move(source)) {}

  Status ErrorAt(const toml::source_region& where, const std::string& what) const {
    return Status::InvalidArgument(source_ + ":" + std::to_string(where.begin.line) + ": " + what);
  }

  Result<std::string> String(const toml::node& node, const std::string& key, std::string_view expected) const {
    std::optional<std::string> value = node.value_exact<std::string>();
    if (!value) return Error(ErrorAt(node.source(), key + " must be a string: " + std::string(expected)));
    return *value;
  }

  Status Input(const toml::table& table, InputConfig* config) const {
    for (const auto& [key, node] : table) {
      const std::string name = "input." + std::string(key.str());
      if (key == "delimiter") {
        constexpr std::string_view kExpected = "\"comma\", \"tab\", \"pipe\" or \"semicolon\"";
        MG_ASSIGN_OR_RETURN(std::string value, String(node, name, kExpected));
        Result<char> delimiter = ParseDelimiter(value);
        if (!delimiter) return ErrorAt(node.source(), name + " must be " + std::string(kExpected));
        config->csv.delimiter = *delimiter;
      } else if (key == "date_format") {
        constexpr std::string_view kExpected = "\"auto\", \"mdy\" or \"dmy\"";
        MG_ASSIGN_OR_RETURN(std::string value, String(node, name, kExpected));
        Result<DateOrder> order = ParseDateOrder(value);
        if (!order) return ErrorAt(node.source(), name + " must be " + std::string(kExpected));
        config->normalize.date_order = *order;
      } else if (key == "trim_spaces") {
        if (!node.is_boolean()) return ErrorAt(node.source(), name + " must be true or false");
        config->csv.trim_unquoted = *node.value<bool>();
      } else {
        return ErrorAt(key.source(), "unknown key " + name + " (expected delimiter, date_format or trim_spaces)");
      }
    }
    return Status::Ok();
  }

  Status Fields(const toml::table& table, InputConfig* config) const {
    for (const auto& [key, node] : table) {
      const std::string name = "fields." + std::string(key.str());
      std::optional<FieldKind> kind = ParseFieldKind(key.str());
      if (!kind) return ErrorAt(key.source(), "unknown field " + name + " (expected one of " + FieldNames() + ")");
      MG_ASSIGN_OR_RETURN(std::string column, String(node, name, "the column's header name"));
      if (column.empty()) return ErrorAt(node.source(), name + " must name a column, not be empty");
      config->fields[*kind] = std::move(column);
    }
    return Status::Ok();
  }

 private:
  static std::string FieldNames() {
    std::string names;
    for (size_t i = 0; i < kFieldKindCount; ++i) {
      if (!names.empty()) names += ", ";
      names += FieldKindName(static_cast<FieldKind>(i));
    }
    return names;
  }

  std::string source_;
};

bool IsOtherTable(std::string_view key) {
  for (std::string_view other : kOtherTables) {
    if (key == other) return true;
  }
  return false;
}

}  // namespace

Result<DateOrder> ParseDateOrder(std::string_view name) {
  if (name == "auto") return DateOrder::kAuto;
  if (name == "mdy") return DateOrder::kMonthDay;
  if (name == "dmy") return DateOrder::kDayMonth;
  return Error(Status::InvalidArgument("unknown date format '" + std::string(name) + "' (expected auto, mdy or dmy)"));
}

Result<toml::table> ParseTomlDocument(std::string_view toml_text, const std::string& source_name) {
  try {
    return toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return Error(Status::InvalidArgument(source_name + ":" + std::to_string(e.source().begin.line) +
                                         ": malformed TOML: " + std::string(e.description())));
  }
}

Result<InputConfig> ParseInputConfig(std::string_view toml_text, const std::string& source_name) {
  MG_ASSIGN_OR_RETURN(const toml::table root, ParseTomlDocument(toml_text, source_name));
  InputConfig config;
  InputConfigReader reader(source_name);
  for (const auto& [key, node] : root) {
    if (key == "input" || key == "fields") {
      const toml::table* table = node.as_table();
      if (table == nullptr) return Error(reader.ErrorAt(node.source(), std::string(key.str()) + " must be a table"));
      MG_RETURN_IF_ERROR(key == "input" ? reader.Input(*table, &config) : reader.Fields(*table, &config));
    } else if (!IsOtherTable(key.str())) {
      return Error(reader.ErrorAt(key.source(), "unknown table or key " + std::string(key.str()) +
                                                    " (expected input, fields, blocking, comparisons, model or link)"));
    }
  }
  return config;
}

Result<InputConfig> LoadInputConfig(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  return ParseInputConfig(text, path);
}

}  // namespace matchguard
