#include "src/pipeline/linkage_config.h"

#include "src/normalize/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "src/block/blocking.h"

namespace matchguard {
namespace {

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

class ConfigReader {
 public:
  explicit ConfigReader(std::string source) : source_(std::move(source)) {}

  Status ErrorAt(const toml::node& node, const std::string& what) const {
    return Status::InvalidArgument(source_ + ":" + std::to_string(LineOf(node)) + ": " + what);
  }

  Result<double> Probability(const toml::node& node, const std::string& key, bool open_interval) const {
    std::optional<double> v = node.value<double>();
    if (!v.has_value() || !std::isfinite(*v) || *v < 0.0 || *v > 1.0 ||
        (open_interval && (*v <= 0.0 || *v >= 1.0))) {
      return Error(ErrorAt(node, key + " must be a number " + (open_interval ? "strictly between 0 and 1" :
                                                                                 "between 0 and 1")));
    }
    return *v;
  }
  Result<bool> Bool(const toml::node& node, const std::string& key) const {
    if (!node.is_boolean()) return Error(ErrorAt(node, key + " must be true or false"));
    return *node.value<bool>();
  }
  Result<int64_t> PositiveInt(const toml::node& node, const std::string& key) const {
    if (!node.is_integer() || *node.value<int64_t>() <= 0) {
      return Error(ErrorAt(node, key + " must be a positive integer"));
    }
    return *node.value<int64_t>();
  }

  Status Blocking(const toml::table& table, LinkageConfig* config) const {
    for (const auto& [key, node] : table) {
      if (key == "rules") {
        const toml::array* rules = node.as_array();
        if (rules == nullptr) return ErrorAt(node, "blocking.rules must be an array of strings");
        for (const toml::node& rule : *rules) {
          std::optional<std::string> text = rule.value<std::string>();
          if (!text.has_value()) return ErrorAt(rule, "blocking.rules must be an array of strings");
          auto parsed = ParseBlockingRule(*text);
          if (!parsed.has_value()) return ErrorAt(rule, parsed.error().message());
          config->blocking_rules.push_back(*text);
          config->blocking_rule_lines.push_back(LineOf(rule));
        }
        if (config->blocking_rules.empty()) return ErrorAt(node, "blocking.rules must name at least one rule");
      } else if (key == "max_pairs") {
        MG_ASSIGN_OR_RETURN(int64_t v, PositiveInt(node, "blocking.max_pairs"));
        config->max_pairs = static_cast<uint64_t>(v);
      } else {
        return ErrorAt(node, "unknown key blocking." + std::string(key.str()) + " (expected rules or max_pairs)");
      }
    }
    return Status::Ok();
  }

  Status Comparisons(const toml::table& table, LinkageConfig* config) const {
    for (const auto& [field_key, node] : table) {
      std::string name(field_key.str());
      std::optional<FieldKind> field = ParseFieldKind(name);
      if (!field.has_value() || *field == FieldKind::kId) {
        return ErrorAt(node, "unknown field comparisons." + name + " (expected a field such as first_name, dob, ssn)");
      }
      const toml::table* settings = node.as_table();
      if (settings == nullptr) return ErrorAt(node, "comparisons." + name + " must be a table");
      ComparisonOverride o;
      o.line = LineOf(node);
      for (const auto& [key, value] : *settings) {
        std::string full = "comparisons." + name + "." + std::string(key.str());
        if (key == "enabled") {
          MG_ASSIGN_OR_RETURN(o.enabled, Bool(value, full));
        } else if (key == "jw_high" || key == "jw") {
          MG_ASSIGN_OR_RETURN(o.jw_high, Probability(value, full, true));
        } else if (key == "jw_low") {
          MG_ASSIGN_OR_RETURN(o.jw_low, Probability(value, full, true));
        } else {
          return ErrorAt(value, "unknown key " + full + " (expected enabled, jw_high, jw_low or jw)");
        }
      }
      config->comparisons[*field] = o;
    }
    return Status::Ok();
  }

  Status Fixed(const toml::node& node, bool is_m, LinkageConfig* config) const {
    const char* which = is_m ? "m" : "u";
    const toml::table* comparisons = node.as_table();
    if (comparisons == nullptr) return ErrorAt(node, std::string("model.") + which + " must be a table");
    for (const auto& [comparison, levels_node] : *comparisons) {
      std::string prefix = std::string("model.") + which + "." + std::string(comparison.str());
      const toml::table* levels = levels_node.as_table();
      if (levels == nullptr) return ErrorAt(levels_node, prefix + " must be a table of level = probability");
      for (const auto& [level, value] : *levels) {
        std::string full = prefix + "." + std::string(level.str());
        MG_ASSIGN_OR_RETURN(double p, Probability(value, full, true));
        config->fixed.push_back({is_m, std::string(comparison.str()), std::string(level.str()), p, LineOf(value)});
      }
    }
    return Status::Ok();
  }

  Status Model(const toml::table& table, LinkageConfig* config) const {
    for (const auto& [key, node] : table) {
      if (key == "max_iterations") {
        MG_ASSIGN_OR_RETURN(int64_t v, PositiveInt(node, "model.max_iterations"));
        if (v > 100000) return ErrorAt(node, "model.max_iterations must be at most 100000");
        config->max_iterations = static_cast<int>(v);
      } else if (key == "tolerance") {
        MG_ASSIGN_OR_RETURN(config->tolerance, Probability(node, "model.tolerance", true));
      } else if (key == "random_pairs") {
        MG_ASSIGN_OR_RETURN(int64_t v, PositiveInt(node, "model.random_pairs"));
        config->random_pairs = static_cast<uint64_t>(v);
      } else if (key == "duplicate_factor") {
        std::optional<double> v = node.value<double>();
        if (!v.has_value() || !(*v >= 1.0 && *v <= 1000.0)) {
          return ErrorAt(node, "model.duplicate_factor must be a number from 1 to 1000");
        }
        config->duplicate_factor = *v;
      } else if (key == "m" || key == "u") {
        MG_RETURN_IF_ERROR(Fixed(node, key == "m", config));
      } else {
        return ErrorAt(node, "unknown key model." + std::string(key.str()) +
                                 " (expected max_iterations, tolerance, random_pairs, duplicate_factor, m or u)");
      }
    }
    return Status::Ok();
  }

  Status Link(const toml::table& table, LinkageConfig* config) const {
    for (const auto& [key, node] : table) {
      if (key == "threshold") {
        MG_ASSIGN_OR_RETURN(config->threshold, Probability(node, "link.threshold", false));
      } else if (key == "one_to_one") {
        MG_ASSIGN_OR_RETURN(config->one_to_one, Bool(node, "link.one_to_one"));
      } else {
        return ErrorAt(node, "unknown key link." + std::string(key.str()) + " (expected threshold or one_to_one)");
      }
    }
    return Status::Ok();
  }

 private:
  std::string source_;
};

std::string JoinNames(const std::vector<std::string>& names, size_t from) {
  std::string out;
  for (size_t i = from; i < names.size(); ++i) {
    if (!out.empty()) out += ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

Result<LinkageConfig> ParseLinkageConfig(std::string_view toml_text, const std::string& source_name) {
  MG_ASSIGN_OR_RETURN(toml::table root, ParseTomlDocument(toml_text, source_name));
  LinkageConfig config;
  config.source_name = source_name;
  ConfigReader reader(source_name);
  for (const auto& [key, node] : root) {
    if (key == "input" || key == "fields") continue;  // LoadInputConfig's tables
    const toml::table* table = node.as_table();
    if (table == nullptr && (key == "blocking" || key == "comparisons" || key == "model" || key == "link")) {
      return Error(reader.ErrorAt(node, std::string(key.str()) + " must be a table"));
    }
    if (key == "blocking") {
      MG_RETURN_IF_ERROR(reader.Blocking(*table, &config));
    } else if (key == "comparisons") {
      MG_RETURN_IF_ERROR(reader.Comparisons(*table, &config));
    } else if (key == "model") {
      MG_RETURN_IF_ERROR(reader.Model(*table, &config));
    } else if (key == "link") {
      MG_RETURN_IF_ERROR(reader.Link(*table, &config));
    } else {
      return Error(reader.ErrorAt(node, "unknown table or key " + std::string(key.str()) +
                                            " (expected input, fields, blocking, comparisons, model or link)"));
    }
  }
  return config;
}

Result<LinkageConfig> LoadLinkageConfig(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  return ParseLinkageConfig(text, path);
}

Status ApplyComparisonOverrides(const LinkageConfig& config, std::vector<LevelSpec>* specs) {
  std::vector<LevelSpec> kept;
  for (LevelSpec& spec : *specs) {
    auto it = config.comparisons.find(spec.field);
    if (it == config.comparisons.end()) {
      kept.push_back(std::move(spec));
      continue;
    }
    const ComparisonOverride& o = it->second;
    if (o.enabled.has_value() && !*o.enabled) continue;
    bool has_high = std::find(spec.levels.begin(), spec.levels.end(), "jw_high") != spec.levels.end() ||
                    std::find(spec.levels.begin(), spec.levels.end(), "jw") != spec.levels.end();
    bool has_low = std::find(spec.levels.begin(), spec.levels.end(), "jw_low") != spec.levels.end();
    auto where = config.source_name + ":" + std::to_string(o.line) + ": comparisons." + spec.name;
    if ((o.jw_high.has_value() && !has_high) || (o.jw_low.has_value() && !has_low)) {
      return Status::InvalidArgument(where + " has no Jaro-Winkler level of that kind; its levels are " +
                                     JoinNames(spec.levels, 1));
    }
    if (o.jw_high.has_value()) spec.jw_high = *o.jw_high;
    if (o.jw_low.has_value()) spec.jw_low = *o.jw_low;
    if (has_low && spec.jw_low > spec.jw_high) {
      return Status::InvalidArgument(where + ": jw_low must not exceed jw_high");
    }
    kept.push_back(std::move(spec));
  }
  *specs = std::move(kept);
  return Status::Ok();
}

Status CheckFixedProbabilities(const LinkageConfig& config, const std::vector<LevelSpec>& specs,
                               std::map<std::pair<size_t, int>, double>* fixed_m,
                               std::map<std::pair<size_t, int>, double>* fixed_u) {
  for (const FixedProbability& f : config.fixed) {
    std::string where = config.source_name + ":" + std::to_string(f.line) + ": model." + (f.is_m ? "m." : "u.") +
                        f.comparison + "." + f.level;
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const LevelSpec& s) { return s.name == f.comparison; });
    if (spec == specs.end()) {
      std::vector<std::string> names = {""};
      for (const LevelSpec& s : specs) names.push_back(s.name);
      return Status::InvalidArgument(where + ": no comparison " + f.comparison + " is in use (compared: " +
                                     JoinNames(names, 1) + ")");
    }
    auto level = std::find(spec->levels.begin(), spec->levels.end(), f.level);
    if (level == spec->levels.end() || level == spec->levels.begin()) {
      return Status::InvalidArgument(where + ": unknown level " + f.level + " (levels of " + f.comparison +
                                     ": " + JoinNames(spec->levels, 1) + ")");
    }
    auto key = std::make_pair(static_cast<size_t>(spec - specs.begin()), static_cast<int>(level - spec->levels.begin()));
    (f.is_m ? *fixed_m : *fixed_u)[key] = f.value;
  }
  return Status::Ok();
}

}  // namespace matchguard
