#include "git/git.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

namespace envstore::git {

void ensure_initialized()
{
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        // Every object envstore writes must be valid, and what it refers to
        // must exist: a version may never point at a missing object.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
    });
}

std::string last_error_message()
{
    const git_error* error = git_error_last();
    return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

void check(int result, std::string_view context)
{
    if (result >= 0) {
        return;
    }
    std::string message = fmt::format("{}: {}", context, last_error_message());
    switch (result) {
    case GIT_ENOTFOUND: throw Error(ErrorCode::not_found, message);
    case GIT_EEXISTS:
    case GIT_ELOCKED:
    case GIT_EMODIFIED:
        throw Error(ErrorCode::conflict, message, "another process changed the workspace; retry");
    case GIT_EAMBIGUOUS: throw Error(ErrorCode::invalid_input, message);
    default: throw Error(ErrorCode::repository, message);
    }
}

std::string to_hex(const git_oid& id)
{
    char buffer[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buffer, sizeof buffer, &id);
    return buffer;
}

git_oid from_hex(std::string_view hex)
{
    git_oid id;
    if (hex.size() != GIT_OID_HEXSZ || git_oid_fromstrn(&id, hex.data(), hex.size()) != 0) {
        throw Error(ErrorCode::repository, fmt::format("invalid object id \"{}\"", hex));
    }
    return id;
}

int retry_locked_impl(const std::function<int()>& operation)
{
    thread_local std::mt19937 random(std::random_device{}());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(2000);
    int delay_ms = 1;
    while (true) {
        int result = operation();
        if (result != GIT_ELOCKED || std::chrono::steady_clock::now() > deadline) {
            return result;
        }
        std::uniform_int_distribution<int> jitter(delay_ms, delay_ms * 2);
        std::this_thread::sleep_for(std::chrono::milliseconds(jitter(random)));
        delay_ms = std::min(delay_ms * 2, 50);
    }
}

std::optional<git_oid> lookup_reference_id(git_repository* repository, const std::string& name)
{
    git_oid id;
    int result = git_reference_name_to_id(&id, repository, name.c_str());
    if (result == GIT_ENOTFOUND) {
        return std::nullopt;
    }
    check(result, fmt::format("cannot read reference \"{}\"", name));
    return id;
}

std::optional<git_oid> tree_blob_id(git_tree* tree, const std::string& path)
{
    git_tree_entry* raw = nullptr;
    int result = git_tree_entry_bypath(&raw, tree, path.c_str());
    if (result == GIT_ENOTFOUND) {
        return std::nullopt;
    }
    check(result, fmt::format("cannot read \"{}\" from a tree", path));
    TreeEntry entry(raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
        return std::nullopt;
    }
    return *git_tree_entry_id(entry.get());
}

bool same_ids(const std::map<std::string, git_oid>& a, const std::map<std::string, git_oid>& b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.first == y.first && git_oid_equal(&x.second, &y.second) != 0;
    });
}

std::string read_blob(git_repository* repository, const git_oid& id)
{
    git_blob* raw = nullptr;
    check(git_blob_lookup(&raw, repository, &id), fmt::format("cannot read blob {}", to_hex(id)));
    Blob blob(raw);
    const char* content = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(content, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

namespace {

std::optional<std::string> config_string(git_repository* repository, const char* key)
{
    git_config* raw = nullptr;
    int result = repository != nullptr ? git_repository_config(&raw, repository)
                                       : git_config_open_default(&raw);
    if (result < 0) {
        return std::nullopt;
    }
    Config config(raw);
    git_buf value = GIT_BUF_INIT;
    if (git_config_get_string_buf(&value, config.get(), key) < 0) {
        return std::nullopt;
    }
    std::string text(value.ptr, value.size);
    git_buf_dispose(&value);
    return text;
}

std::optional<std::string> environment_value(const char* name)
{
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

// The fixed time asked for in the environment, as git reads it for a commit.
std::optional<git_time> signature_date()
{
    for (const char* variable : {"GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE"}) {
        if (auto text = environment_value(variable)) {
            return parse_date(*text, variable);
        }
    }
    return std::nullopt;
}

} // namespace

Signature default_signature(git_repository* repository)
{
    ensure_initialized();
    auto name = environment_value("GIT_AUTHOR_NAME");
    auto email = environment_value("GIT_AUTHOR_EMAIL");
    if (!name) {
        name = config_string(repository, "user.name");
    }
    if (!email) {
        email = config_string(repository, "user.email");
    }
    if (!name || !email) {
        throw Error(ErrorCode::invalid_input,
                    "no Git identity is configured",
                    "run: git config --global user.name \"Your Name\" && "
                    "git config --global user.email you@example.org");
    }
    git_signature* raw = nullptr;
    if (auto when = signature_date()) {
        check(git_signature_new(&raw, name->c_str(), email->c_str(), when->time, when->offset),
              "invalid Git identity");
        return Signature(raw);
    }
    check(git_signature_now(&raw, name->c_str(), email->c_str()), "invalid Git identity");
    return Signature(raw);
}

} // namespace envstore::git
