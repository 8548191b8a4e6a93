#include "records.hpp"

#include "fault_points.hpp"

#include <fmt/format.h>

namespace envstore {

std::string format_record_message(const std::string& summary, const Trailers& trailers)
{
    std::string message = summary;
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
    }
    message += "\n\n";
    for (const auto& [key, value] : trailers) {
        message += fmt::format("Envstore-{}: {}\n", key, value);
    }
    return message;
}

std::pair<std::string, Trailers> parse_record_message(std::string_view message)
{
    // Trailers are the last paragraph, and only if every line of it is one:
    // a user's message may itself hold lines that look like trailers.
    std::string_view trimmed = message.substr(0, message.find_last_not_of("\n ") + 1);
    auto blank = trimmed.rfind("\n\n");
    std::string_view block = blank == std::string_view::npos ? trimmed : trimmed.substr(blank + 2);

    Trailers trailers;
    std::size_t start = 0;
    while (start < block.size()) {
        std::size_t end = block.find('\n', start);
        std::string_view line = block.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        start = end == std::string_view::npos ? block.size() : end + 1;
        auto colon = line.find(": ");
        if (!line.starts_with("Envstore-") || colon == std::string_view::npos) {
            return {std::string(trimmed), {}};
        }
        trailers.emplace_back(std::string(line.substr(9, colon - 9)),
                              std::string(line.substr(colon + 2)));
    }
    std::string_view text =
        blank == std::string_view::npos ? std::string_view() : trimmed.substr(0, blank);
    return {std::string(text.substr(0, text.find_last_not_of("\n ") + 1)), trailers};
}

std::string trailer_value(const Trailers& trailers, std::string_view key)
{
    for (const auto& [name, value] : trailers) {
        if (name == key) {
            return value;
        }
    }
    return {};
}

std::string tag_ref(std::string_view tag_name)
{
    return fmt::format("refs/tags/{}", tag_name);
}

std::string sequence_tag_name(std::string_view name, std::string_view key, int sequence)
{
    return fmt::format("{}#{}#{}", name, key, sequence);
}

bool create_tag_if_absent(git_repository* repository,
                          const std::string& tag_name,
                          const git_object* target,
                          const git_signature* tagger,
                          const std::string& message)
{
    git_oid tag_id;
    git::check(git_tag_annotation_create(
                   &tag_id, repository, tag_name.c_str(), target, tagger, message.c_str()),
               fmt::format("cannot write tag \"{}\"", tag_name));

    fault_point("before-tag-ref");
    git_oid absent{}; // the zero id: "the reference must not exist yet"
    std::string ref_name = tag_ref(tag_name);
    std::string log_message = fmt::format("envstore: create {}", tag_name);
    git_reference* raw = nullptr;
    int result = git::retry_locked([&] {
        return git_reference_create_matching(
            &raw, repository, ref_name.c_str(), &tag_id, 0, &absent, log_message.c_str());
    });
    if (result == GIT_EEXISTS || result == GIT_EMODIFIED || result == GIT_ELOCKED) {
        return false;
    }
    git::check(result, fmt::format("cannot create tag \"{}\"", tag_name));
    git_reference_free(raw);
    return true;
}

int highest_dense_number(git_repository* repository,
                         const std::function<std::string(int)>& make_ref)
{
    auto exists = [&](int n) {
        return git::lookup_reference_id(repository, make_ref(n)).has_value();
    };
    if (!exists(1)) {
        return 0;
    }
    int low = 1;
    int high = 2;
    while (exists(high)) {
        low = high;
        high *= 2;
    }
    // exists(low) and !exists(high): narrow down to the last one that exists.
    while (high - low > 1) {
        int middle = low + (high - low) / 2;
        (exists(middle) ? low : high) = middle;
    }
    return low;
}

Numbering check_dense_numbering(git_repository* repository, const std::string& prefix, int highest)
{
    std::string glob = prefix + "*";
    git_reference_iterator* raw = nullptr;
    git::check(git_reference_iterator_glob_new(&raw, repository, glob.c_str()), "cannot list tags");
    git::ReferenceIterator iterator(raw);
    const char* ref_name = nullptr;
    int count = 0;
    int beyond = 0;
    while (git_reference_next_name(&ref_name, iterator.get()) == 0) {
        std::string_view number = std::string_view(ref_name).substr(prefix.size());
        if (number.empty() || number.find_first_not_of("0123456789") != std::string_view::npos) {
            continue;
        }
        int value = std::atoi(std::string(number).c_str());
        count += value >= 1 && value <= highest ? 1 : 0;
        beyond = std::max(beyond, value > highest ? value : 0);
    }
    if (count == highest && beyond == 0) {
        return Numbering::dense;
    }
    // Writers only ever add N + 1 after N exists, and never delete: a number
    // beyond ours is a lost race unless the one right after ours is missing.
    std::string next = prefix + std::to_string(highest + 1);
    if (count == highest && git::lookup_reference_id(repository, next)) {
        return Numbering::moved_on;
    }
    std::string shown = prefix.substr(std::string_view("refs/tags/").size());
    std::string what =
        beyond > 0 ? fmt::format("\"{}{}\" exists, but not every number below it", shown, beyond)
                   : fmt::format("only {} of {}1 to {}{} exist", count, shown, shown, highest);
    throw Error(ErrorCode::repository,
                fmt::format("the numbering of \"{}N\" has a gap: {}", shown, what),
                "a tag was deleted outside envstore; fetch it back from a clone that has it "
                "(envstore doctor lists what is missing)");
}

std::map<std::string, std::set<int>> all_version_numbers(git_repository* repository)
{
    std::map<std::string, std::set<int>> numbers;
    git_reference_iterator* raw = nullptr;
    git::check(git_reference_iterator_glob_new(&raw, repository, "refs/tags/*@v*"),
               "cannot list tags");
    git::ReferenceIterator iterator(raw);
    const char* ref_name = nullptr;
    while (git_reference_next_name(&ref_name, iterator.get()) == 0) {
        std::string tag = std::string(ref_name).substr(10);
        auto at = tag.rfind("@v");
        int number = std::atoi(tag.c_str() + at + 2);
        if (number > 0) {
            numbers[tag.substr(0, at)].insert(number);
        }
    }
    return numbers;
}

Signature to_signature(const git_signature* signature)
{
    Signature out;
    if (signature == nullptr) {
        return out;
    }
    out.name = signature->name;
    out.email = signature->email;
    out.time = signature->when.time;
    out.offset_minutes = signature->when.offset;
    return out;
}

} // namespace envstore
