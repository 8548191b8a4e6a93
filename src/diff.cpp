// Comparing two definitions element by element: the element keys and values of
// `definition_elements`, matched by key, with apt and Spark packages paired by
// name and the order of ordered lists compared apart.

#include "envstore/diff.hpp"

#include "envstore/resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace envstore {
namespace {

using Elements = std::map<std::string, std::string>;

enum class Shape { single, collection };

struct Field
{
    std::string_view name;
    Shape shape;
};

// The fields in the order of the canonical form; a field not listed sorts
// last. A collection's element without an item (the order of an ordered
// list) is left to `add_reorder`, which compares only what both sides hold,
// so an addition is not also an order change.
constexpr Field k_fields[] = {
    {"name", Shape::single},
    {"description", Shape::single},
    {"extends", Shape::single},
    {"runtime", Shape::single},
    {"managed", Shape::single},
    {"platforms", Shape::collection},
    {"python.version", Shape::single},
    {"python.interpreter", Shape::single},
    {"python.channels", Shape::collection},
    {"python.conda", Shape::collection},
    {"python.pip", Shape::collection},
    {"python.pip_options", Shape::collection},
    {"python.remove", Shape::collection},
    {"variables", Shape::collection},
    {"docker.base_image", Shape::single},
    {"docker.base_dockerfile", Shape::single},
    {"docker.apt", Shape::collection},
    {"docker.gpu", Shape::single},
    {"docker.shm_size", Shape::single},
    {"docker.registry.address", Shape::single},
    {"docker.registry.username_env", Shape::single},
    {"docker.registry.password_env", Shape::single},
    {"spark.repositories", Shape::collection},
    {"spark.packages", Shape::collection},
    {"metadata", Shape::collection},
    {"x-", Shape::single},
};

std::size_t field_rank(std::string_view field)
{
    if (field.starts_with("x-")) {
        field = "x-";
    }
    auto found = std::find_if(std::begin(k_fields),
                              std::end(k_fields),
                              [field](const Field& known) { return known.name == field; });
    return static_cast<std::size_t>(found - std::begin(k_fields));
}

bool is_collection(std::string_view field)
{
    std::size_t rank = field_rank(field);
    return rank < std::size(k_fields) && k_fields[rank].shape == Shape::collection;
}

struct SplitKey
{
    std::string field;
    std::string item;
};

// Field names hold no "/", so the first one separates the item.
SplitKey split_key(const std::string& key)
{
    std::size_t slash = key.find('/');
    if (slash == std::string::npos) {
        return {key, {}};
    }
    return {key.substr(0, slash), key.substr(slash + 1)};
}

// The elements compared one by one: a null variable's value is "null";
// lists' own elements (their order) are left out. A definition without a name
// stands for none at all, so even its defaults are absent.
Elements elements_of(const Definition& definition)
{
    Elements elements;
    if (definition.name.empty()) {
        return elements;
    }
    for (const auto& [key, value] : definition_elements(definition)) {
        if (is_collection(key)) {
            continue;
        }
        elements.emplace(key, value.value_or("null"));
    }
    return elements;
}

// The name an entry is matched by when its text holds more than the name:
// `libgl1=1.2` and `libgl1:amd64` are the apt package `libgl1`,
// `org.a:b:1.0` the Spark package `org.a:b`. Other fields match by item.
std::string match_name(std::string_view field, const std::string& item)
{
    if (field == "docker.apt") {
        return item.substr(0, item.find_first_of(":="));
    }
    if (field == "spark.packages") {
        std::size_t first = item.find(':');
        if (first != std::string::npos) {
            return item.substr(0, item.find(':', first + 1));
        }
    }
    return item;
}

// Turns a removal and an addition of entries with the same match name into
// one `changed` entry named by it.
void pair_by_name(std::vector<Change>& changes)
{
    std::map<std::pair<std::string, std::string>, std::size_t> removed;
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const Change& change = changes[i];
        if (change.kind == ChangeKind::removed && !change.item.empty()) {
            removed[{change.field, match_name(change.field, change.item)}] = i;
        }
    }

    std::vector<std::size_t> dropped;
    for (Change& change : changes) {
        if (change.kind != ChangeKind::added || change.item.empty()) {
            continue;
        }
        std::string name = match_name(change.field, change.item);
        auto found = removed.find({change.field, name});
        if (name == change.item || found == removed.end()) {
            continue;
        }
        change.kind = ChangeKind::changed;
        change.item = name;
        change.before = changes[found->second].before;
        dropped.push_back(found->second);
        removed.erase(found);
    }

    std::sort(dropped.begin(), dropped.end(), std::greater<>());
    for (std::size_t index : dropped) {
        changes.erase(changes.begin() + static_cast<std::ptrdiff_t>(index));
    }
}

// The canonical form writes `docker.gpu: false` only when a docker section
// exists, so a section appearing or going away is no change of `gpu`; `false`
// becoming `true` still is.
void drop_default_gpu(std::vector<Change>& changes)
{
    auto is_default = [](const Change& change) {
        return change.field == "docker.gpu" && change.before.value_or("false") == "false" &&
               change.after.value_or("false") == "false";
    };
    changes.erase(std::remove_if(changes.begin(), changes.end(), is_default), changes.end());
}

// The entries of `list` that `other` also holds, in `list`'s order.
std::vector<std::string> shared_entries(const std::vector<std::string>& list,
                                        const std::vector<std::string>& other)
{
    std::set<std::string> in_other(other.begin(), other.end());
    std::vector<std::string> shared;
    for (const auto& entry : list) {
        if (in_other.contains(entry)) {
            shared.push_back(entry);
        }
    }
    return shared;
}

// A `reordered` change when the entries both lists hold are in another order.
void add_reorder(std::vector<Change>& changes,
                 std::string_view field,
                 const std::vector<std::string>& before,
                 const std::vector<std::string>& after)
{
    std::vector<std::string> old_order = shared_entries(before, after);
    std::vector<std::string> new_order = shared_entries(after, before);
    if (old_order == new_order) {
        return;
    }
    changes.push_back({ChangeKind::reordered,
                       std::string(field),
                       {},
                       fmt::format("{}", fmt::join(old_order, ", ")),
                       fmt::format("{}", fmt::join(new_order, ", "))});
}

struct OrderedLists
{
    std::vector<std::string> channels;
    std::vector<std::string> pip_options;
    std::vector<std::string> repositories;
};

OrderedLists ordered_lists(const Definition& definition)
{
    OrderedLists lists;
    if (definition.python) {
        lists.channels = definition.python->channels;
        lists.pip_options = definition.python->pip_options;
    }
    if (definition.spark) {
        lists.repositories = definition.spark->repositories;
    }
    return lists;
}

bool comes_before(const Change& a, const Change& b)
{
    std::size_t rank_a = field_rank(a.field);
    std::size_t rank_b = field_rank(b.field);
    if (rank_a != rank_b) {
        return rank_a < rank_b;
    }
    if (a.field != b.field) {
        return a.field < b.field;
    }
    bool reorder_a = a.kind == ChangeKind::reordered;
    bool reorder_b = b.kind == ChangeKind::reordered;
    if (reorder_a != reorder_b) {
        return reorder_b;
    }
    return a.item < b.item;
}

} // namespace

std::string_view name_of(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::changed: return "changed";
    case ChangeKind::reordered: return "reordered";
    }
    return "changed";
}

std::string Change::key() const
{
    return element_key(field, item);
}

std::vector<Change> diff_definitions(const Definition& before, const Definition& after)
{
    Elements old_elements = elements_of(before);
    Elements new_elements = elements_of(after);

    std::vector<Change> changes;
    for (const auto& [key, value] : old_elements) {
        auto [field, item] = split_key(key);
        auto found = new_elements.find(key);
        if (found == new_elements.end()) {
            changes.push_back({ChangeKind::removed, field, item, value, std::nullopt});
        } else if (found->second != value) {
            changes.push_back({ChangeKind::changed, field, item, value, found->second});
        }
    }
    for (const auto& [key, value] : new_elements) {
        if (!old_elements.contains(key)) {
            auto [field, item] = split_key(key);
            changes.push_back({ChangeKind::added, field, item, std::nullopt, value});
        }
    }
    pair_by_name(changes);
    drop_default_gpu(changes);

    OrderedLists old_lists = ordered_lists(before);
    OrderedLists new_lists = ordered_lists(after);
    add_reorder(changes, "python.channels", old_lists.channels, new_lists.channels);
    add_reorder(changes, "python.pip_options", old_lists.pip_options, new_lists.pip_options);
    add_reorder(changes, "spark.repositories", old_lists.repositories, new_lists.repositories);

    std::stable_sort(changes.begin(), changes.end(), comes_before);
    return changes;
}

std::string element_lines(const Definition& definition)
{
    std::vector<std::pair<SplitKey, std::string>> lines;
    for (const auto& [key, value] : definition_elements(definition)) {
        lines.emplace_back(split_key(key), value.value_or("null"));
    }
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) {
        return std::pair(field_rank(a.first.field), a.first.field) <
               std::pair(field_rank(b.first.field), b.first.field);
    });

    std::string text;
    for (const auto& [key, value] : lines) {
        std::string full = element_key(key.field, key.item);
        bool names_itself = !key.item.empty() && value == key.item;
        text += names_itself ? full + "\n" : fmt::format("{}: {}\n", full, value);
    }
    return text;
}

} // namespace envstore
