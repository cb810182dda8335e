// EvaluateFiles: reads PAIRS and the truth (a TRUTH file or FEBRL ids), maps ids to dense indices and
// scores with the functions of metrics.h.
#include "matchguard/evaluate.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>
#include <vector>

#include "src/eval/metrics.h"
#include "src/io/csv.h"
#include "src/io/record_ids.h"

namespace matchguard {
namespace {

enum class Shape { kPairs, kClusters };

std::string_view ShapeName(Shape shape) { return shape == Shape::kPairs ? "pairs" : "clusters"; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<size_t> FindColumnIgnoreCase(const Table& table, std::string_view name) {
  for (size_t i = 0; i < table.num_columns(); ++i) {
    if (EqualsIgnoreCase(table.column_names()[i], name)) return i;
  }
  return std::nullopt;
}

std::string ColumnsFound(const Table& table) {
  std::string out;
  for (const std::string& name : table.column_names()) {
    if (!out.empty()) out += ",";
    out += name;
  }
  return out;
}

// A PAIRS or TRUTH file: its table and the two columns that matter.
struct IdFile {
  Table table;
  Shape shape = Shape::kPairs;
  size_t first = 0;   // left_id or record_id
  size_t second = 0;  // right_id or cluster_id
};

Result<IdFile> ReadIdFile(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, path));
  IdFile file;
  auto left = FindColumnIgnoreCase(table, "left_id");
  auto right = FindColumnIgnoreCase(table, "right_id");
  auto record = FindColumnIgnoreCase(table, "record_id");
  auto cluster = FindColumnIgnoreCase(table, "cluster_id");
  if (left && right) {
    file.shape = Shape::kPairs;
    file.first = *left;
    file.second = *right;
  } else if (record && cluster) {
    file.shape = Shape::kClusters;
    file.first = *record;
    file.second = *cluster;
  } else {
    return Error(Status::InvalidArgument(path + ": expected the columns left_id,right_id (pairs) or " +
                                         "record_id,cluster_id (clusters); found: " + ColumnsFound(table)));
  }
  // Pairs and clusters refer to records (and clusters) of other files, so ids may repeat here.
  for (size_t col : {file.first, file.second}) MG_RETURN_IF_ERROR(CheckRecordIds(table, col, IdRole::kReference));
  file.table = std::move(table);
  return file;
}

// Maps ids to dense indices in first-seen order. Views point into tables that outlive the index.
class IdIndex {
 public:
  uint32_t Intern(std::string_view id) {
    auto [it, inserted] = map_.try_emplace(id, static_cast<uint32_t>(map_.size()));
    return it->second;
  }
  std::optional<uint32_t> Find(std::string_view id) const {
    auto it = map_.find(id);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  size_t size() const { return map_.size(); }

 private:
  std::unordered_map<std::string_view, uint32_t> map_;
};

std::vector<uint64_t> PairKeys(const IdFile& file, IdIndex& left, IdIndex& right) {
  const Column& a = file.table.column(file.first);
  const Column& b = file.table.column(file.second);
  std::vector<uint64_t> keys(file.table.num_rows());
  for (size_t row = 0; row < keys.size(); ++row) keys[row] = PairKey(left.Intern(a[row]), right.Intern(b[row]));
  return keys;
}

// Reads the record -> cluster labels of a clusters file into `labels` (indexed by `records`).
Status ReadClusterLabels(const IdFile& file, IdIndex& records, IdIndex& clusters, std::vector<uint32_t>* labels) {
  const Column& ids = file.table.column(file.first);
  const Column& cluster_ids = file.table.column(file.second);
  std::vector<uint64_t> first_line;
  for (size_t row = 0; row < file.table.num_rows(); ++row) {
    uint32_t record = records.Intern(ids[row]);
    uint32_t cluster = clusters.Intern(cluster_ids[row]);
    if (labels->size() <= record) {
      labels->resize(record + 1, kNoCluster);
      first_line.resize(record + 1, 0);
    }
    uint32_t& label = (*labels)[record];
    if (label != kNoCluster && label != cluster) {
      return Status::InvalidArgument(file.table.source_name() + ": line " +
                                     std::to_string(file.table.source_line(row)) +
                                     ": the record is listed again with another cluster_id (first on line " +
                                     std::to_string(first_line[record]) + "); expected one cluster per record");
    }
    if (label == kNoCluster) first_line[record] = file.table.source_line(row);
    label = cluster;
  }
  return Status::Ok();
}

Evaluation Finish(Shape shape, const IdFile& pairs, uint64_t predicted, uint64_t truth, const Confusion& c) {
  Evaluation e;
  e.shape = std::string(ShapeName(shape));
  e.rows_read = pairs.table.num_rows();
  e.predicted_pairs = predicted;
  e.true_pairs = truth;
  e.tp = c.tp;
  e.fp = c.fp;
  e.fn = c.fn;
  Scores s = ScoresOf(c);
  e.precision = s.precision;
  e.recall = s.recall;
  e.f1 = s.f1;
  return e;
}

Result<Evaluation> EvaluateAgainstTruthFile(const IdFile& pairs, const IdFile& truth) {
  if (pairs.shape != truth.shape) {
    return Error(Status::InvalidArgument(
        truth.table.source_name() + ": holds " + std::string(ShapeName(truth.shape)) + " but " +
        pairs.table.source_name() + " holds " + std::string(ShapeName(pairs.shape)) +
        "; expected both files in the same shape (left_id,right_id or record_id,cluster_id)"));
  }
  if (pairs.shape == Shape::kPairs) {
    IdIndex left;
    IdIndex right;
    std::vector<uint64_t> truth_keys = PairKeys(truth, left, right);
    std::vector<uint64_t> predicted = PairKeys(pairs, left, right);
    Confusion c = ComparePairSets(predicted, truth_keys);
    return Finish(pairs.shape, pairs, c.tp + c.fp, c.tp + c.fn, c);
  }
  IdIndex records;
  IdIndex truth_clusters;
  IdIndex predicted_clusters;
  std::vector<uint32_t> truth_labels;
  std::vector<uint32_t> predicted_labels;
  MG_RETURN_IF_ERROR(ReadClusterLabels(truth, records, truth_clusters, &truth_labels));
  MG_RETURN_IF_ERROR(ReadClusterLabels(pairs, records, predicted_clusters, &predicted_labels));
  truth_labels.resize(records.size(), kNoCluster);
  predicted_labels.resize(records.size(), kNoCluster);
  Confusion c = CompareClusterings(predicted_labels, truth_labels);
  return Finish(pairs.shape, pairs, c.tp + c.fp, c.tp + c.fn, c);
}

// Person number of a FEBRL id: "rec-12-org" or "rec-12-dup-3" -> "12".
std::optional<std::string_view> FebrlPerson(std::string_view id) {
  constexpr std::string_view kPrefix = "rec-";
  if (id.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = id.substr(kPrefix.size());
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  if (digits == 0) return std::nullopt;
  std::string_view person = rest.substr(0, digits);
  std::string_view tail = rest.substr(digits);
  if (tail == "-org") return person;
  constexpr std::string_view kDup = "-dup-";
  if (tail.substr(0, kDup.size()) != kDup || tail.size() == kDup.size()) return std::nullopt;
  for (char ch : tail.substr(kDup.size())) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return std::nullopt;
  }
  return person;
}

// Interns every rec_id of a FEBRL file into `records` (so row i of the file may not be index i when the
// file repeats an id, which is an error) and records its person as a label.
Status ReadFebrlLabels(const Table& table, IdIndex& records, IdIndex& persons, std::vector<uint32_t>* labels) {
  std::optional<size_t> col = FindColumnIgnoreCase(table, "rec_id");
  if (!col) {
    return Status::InvalidArgument(table.source_name() + ": expected a rec_id column of FEBRL ids; found: " +
                                   ColumnsFound(table));
  }
  for (size_t row = 0; row < table.num_rows(); ++row) {
    std::string_view id = table.Get(*col, row);
    std::string where = table.source_name() + ": line " + std::to_string(table.source_line(row)) + ": rec_id";
    std::optional<std::string_view> person = FebrlPerson(id);
    if (!person) return Status::InvalidArgument(where + " is not a FEBRL id; expected rec-N-org or rec-N-dup-K");
    size_t before = records.size();
    uint32_t record = records.Intern(id);
    if (records.size() == before) return Status::InvalidArgument(where + " repeats an earlier id");
    labels->resize(record + 1, kNoCluster);
    (*labels)[record] = persons.Intern(*person);
  }
  return Status::Ok();
}

// Counts the ids PAIRS adds beyond the FEBRL files (each distinct id once).
uint64_t NewIds(size_t before, const IdIndex& index) { return index.size() - before; }

Result<Evaluation> EvaluateFebrl(FileSystem& fs, const IdFile& pairs, const EvaluateOptions& options) {
  MG_ASSIGN_OR_RETURN(Table left_table, ReadCsvTable(fs, options.febrl_left));
  IdIndex persons;
  IdIndex left;
  std::vector<uint32_t> left_labels;
  MG_RETURN_IF_ERROR(ReadFebrlLabels(left_table, left, persons, &left_labels));
  const std::string& pairs_name = pairs.table.source_name();

  if (!options.febrl_right.empty()) {
    if (pairs.shape != Shape::kPairs) {
      return Error(Status::InvalidArgument(pairs_name + ": holds clusters (record_id,cluster_id), but linking " +
                                           "two FEBRL files expects pairs (left_id,right_id)"));
    }
    MG_ASSIGN_OR_RETURN(Table right_table, ReadCsvTable(fs, options.febrl_right));
    IdIndex right;
    std::vector<uint32_t> right_labels;
    MG_RETURN_IF_ERROR(ReadFebrlLabels(right_table, right, persons, &right_labels));
    uint64_t true_pairs = PairsAcrossClusters(left_labels, right_labels);
    size_t left_known = left.size();
    size_t right_known = right.size();
    std::vector<uint64_t> predicted = PairKeys(pairs, left, right);
    uint64_t unknown = NewIds(left_known, left) + NewIds(right_known, right);
    Confusion c = ComparePairsToLabels(std::move(predicted), left_labels, right_labels, true_pairs, false);
    Evaluation e = Finish(pairs.shape, pairs, c.tp + c.fp, true_pairs, c);
    e.unknown_ids = unknown;
    return e;
  }

  uint64_t true_pairs = PairsWithinClusters(left_labels);
  size_t known = left.size();
  Confusion c;
  if (pairs.shape == Shape::kPairs) {
    std::vector<uint64_t> predicted = PairKeys(pairs, left, left);
    c = ComparePairsToLabels(std::move(predicted), left_labels, left_labels, true_pairs, true);
  } else {
    IdIndex clusters;
    std::vector<uint32_t> predicted_labels;
    MG_RETURN_IF_ERROR(ReadClusterLabels(pairs, left, clusters, &predicted_labels));
    left_labels.resize(left.size(), kNoCluster);
    predicted_labels.resize(left.size(), kNoCluster);
    c = CompareClusterings(predicted_labels, left_labels);
  }
  Evaluation e = Finish(pairs.shape, pairs, c.tp + c.fp, true_pairs, c);
  e.unknown_ids = NewIds(known, left);
  return e;
}

}  // namespace

Result<Evaluation> EvaluateFiles(FileSystem& fs, const EvaluateOptions& options) {
  bool has_truth = !options.truth_path.empty();
  bool has_febrl = !options.febrl_left.empty();
  if (has_truth == has_febrl) {
    return Error(Status::InvalidArgument("expected either a TRUTH file or --febrl LEFT.csv [RIGHT.csv], not " +
                                         std::string(has_truth ? "both" : "neither")));
  }
  if (!options.febrl_right.empty() && !has_febrl) {
    return Error(Status::InvalidArgument("a FEBRL right file needs a FEBRL left file"));
  }
  MG_ASSIGN_OR_RETURN(IdFile pairs, ReadIdFile(fs, options.pairs_path));
  if (has_febrl) return EvaluateFebrl(fs, pairs, options);
  MG_ASSIGN_OR_RETURN(IdFile truth, ReadIdFile(fs, options.truth_path));
  return EvaluateAgainstTruthFile(pairs, truth);
}

std::string EvaluationToJson(const Evaluation& e, bool pretty) {
  nlohmann::ordered_json j;
  j["shape"] = e.shape;
  j[e.shape == "pairs" ? "pairs_read" : "records_read"] = e.rows_read;
  j["predicted_pairs"] = e.predicted_pairs;
  j["true_pairs"] = e.true_pairs;
  j["tp"] = e.tp;
  j["fp"] = e.fp;
  j["fn"] = e.fn;
  j["precision"] = e.precision;
  j["recall"] = e.recall;
  j["f1"] = e.f1;
  j["unknown_ids"] = e.unknown_ids;
  return j.dump(pretty ? 2 : -1);
}

}  // namespace matchguard
