// evaluate_policy on hand-built resolved definitions: each rule accepting and
// refusing, names compared as the package managers compare them, and
// violations located locally or in the base they were inherited from.

#include "support/temp_dir.hpp"

#include "envstore/policy.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace envstore;

namespace {

const std::string k_path = "environments/train/environment.yaml";

// A resolved working-tree definition of "train" holding `python` (the lines of
// its python section, after "python:") and `extra` top-level lines.
ResolvedDefinition resolved_of(const std::string& python, const std::string& extra = {})
{
    std::string text = "name: train\nruntime: python\npython:\n  version: \"3.11\"\n" + python;
    text += extra;
    ParseResult parsed = parse_definition(text, k_path, "train");
    INFO(text);
    for (const auto& error : parsed.errors) {
        INFO(format_diagnostic(error));
    }
    REQUIRE(parsed.errors.empty());
    ResolvedDefinition resolved;
    resolved.reference = parse_reference("train");
    resolved.definition = *parsed.definition;
    return resolved;
}

// "rule: message" of each violation, in order.
std::vector<std::string> violations(const Policy& policy, const ResolvedDefinition& resolved)
{
    std::vector<std::string> out;
    for (const auto& diagnostic : evaluate_policy(policy, resolved)) {
        out.push_back(diagnostic.rule + ": " + diagnostic.message);
    }
    return out;
}

using Strings = std::vector<std::string>;

} // namespace

TEST_CASE("policy-channel allows listed channels however they are written", "[policy]")
{
    Policy policy;
    policy.channels = Strings{"conda-forge", "nvidia", "https://conda.example.com/*"};

    SECTION("names, channel URLs, subdirs, tokens and patterns")
    {
        auto resolved =
            resolved_of("  channels: [conda-forge, \"https://conda.anaconda.org/nvidia/\", "
                        "\"https://conda.anaconda.org/t/${TOKEN}/nvidia/linux-64\", "
                        "\"https://conda.example.com/internal\"]\n"
                        "  conda: [\"conda-forge/linux-64::numpy\", "
                        "\"https://conda.anaconda.org/nvidia::cuda-toolkit\"]\n");
        CHECK(violations(policy, resolved).empty());
    }
    SECTION("a channel of the list and a channel of a spec")
    {
        auto resolved = resolved_of("  channels: [conda-forge, defaults]\n"
                                    "  conda: [\"pkgs/main::openssl\", numpy]\n");
        CHECK(violations(policy, resolved) ==
              Strings{"policy-channel: channel \"defaults\" is not allowed by the policy",
                      "policy-channel: conda package \"openssl\" names channel \"pkgs/main\", "
                      "which the policy does not allow"});
        auto diagnostics = evaluate_policy(policy, resolved);
        REQUIRE(diagnostics.size() == 2);
        CHECK(diagnostics[0].hint == "allowed channels: \"conda-forge\", \"nvidia\", "
                                     "\"https://conda.example.com/*\"; or add \"defaults\" to "
                                     "policy.channels in envstore.yaml");
    }
    SECTION("nodefaults is no channel")
    {
        CHECK(violations(policy, resolved_of("  channels: [conda-forge, nodefaults]\n")).empty());
    }
    SECTION("no channels: conda's defaults")
    {
        auto resolved = resolved_of("  conda: [\"conda-forge::scipy\", numpy]\n");
        CHECK(violations(policy, resolved) ==
              Strings{"policy-channel: conda package \"numpy\" comes from the default channel "
                      "\"defaults\" (no python.channels), which the policy does not allow"});
        policy.channels->push_back("defaults");
        CHECK(violations(policy, resolved).empty());
    }
    SECTION("an empty list allows no channel")
    {
        policy.channels = Strings{};
        CHECK(violations(policy, resolved_of("  channels: [conda-forge]\n")) ==
              Strings{"policy-channel: channel \"conda-forge\" is not allowed by the policy"});
    }
    SECTION("no channels rule")
    {
        policy.channels.reset();
        CHECK(violations(policy, resolved_of("  channels: [anything]\n  conda: [x]\n")).empty());
    }
}

TEST_CASE("policy-forbidden-package matches conda and pip names as normalised", "[policy]")
{
    Policy policy;
    policy.forbidden_packages = {"pycrypto", "tensorflow-gpu", "torch*"};

    SECTION("allowed")
    {
        auto resolved = resolved_of("  conda: [numpy]\n  pip: [requests, pycryptodome]\n");
        CHECK(violations(policy, resolved).empty());
    }
    SECTION("refused in any spelling, by pattern too")
    {
        auto resolved = resolved_of("  channels: [conda-forge]\n"
                                    "  conda: [PyCrypto, \"pytorch>=2\"]\n"
                                    "  pip: [\"tensorflow_GPU==2.10\", torchvision]\n");
        CHECK(violations(policy, resolved) ==
              Strings{"policy-forbidden-package: conda package \"PyCrypto\" is forbidden by the "
                      "policy",
                      "policy-forbidden-package: pip package \"tensorflow_GPU\" is forbidden by "
                      "the policy",
                      "policy-forbidden-package: pip package \"torchvision\" is forbidden by the "
                      "policy"});
    }
}

TEST_CASE("policy-pinned-package needs one exact version", "[policy]")
{
    Policy policy;
    policy.pinned_packages = {"numpy", "torch", "tool*"};

    SECTION("exact pins")
    {
        for (const char* conda :
             {"numpy==1.26.4", "numpy 1.26.4", "numpy=1.26.4=py311_0", "numpy 1.26.4 py311*"}) {
            INFO(conda);
            auto resolved = resolved_of(std::string("  conda: [\"") + conda + "\"]\n");
            CHECK(violations(policy, resolved).empty());
        }
        for (const char* pip : {"torch==2.1.0",
                                "torch===2.1.0+cpu",
                                "torch>=2,==2.1.0",
                                "torch @ https://download.pytorch.org/whl/torch-2.1.0-cp311.whl",
                                "tool @ git+https://github.com/o/tool@"
                                "0123456789abcdef0123456789abcdef01234567"}) {
            INFO(pip);
            auto resolved = resolved_of(std::string("  pip: [\"") + pip + "\"]\n");
            CHECK(violations(policy, resolved).empty());
        }
    }
    SECTION("not exact")
    {
        auto resolved = resolved_of("  conda: [\"numpy=1.26\"]\n");
        CHECK(violations(policy, resolved) ==
              Strings{"policy-pinned-package: conda package \"numpy\" must be pinned to one "
                      "exact version, not \"numpy=1.26\""});
        CHECK(evaluate_policy(policy, resolved).at(0).hint ==
              "write \"numpy==VERSION\" (conda reads \"=1.2\" as 1.2.*)");

        for (const char* conda : {"numpy", "numpy 1.26.*", "numpy>=1.26", "numpy 1.26|1.27"}) {
            INFO(conda);
            auto one = resolved_of(std::string("  conda: [\"") + conda + "\"]\n");
            CHECK(violations(policy, one).size() == 1);
        }
        for (const char* pip : {"torch",
                                "torch==2.1.*",
                                "torch~=2.1",
                                "torch>=2.1",
                                "tool @ git+https://github.com/o/tool@v1.2",
                                "tool @ https://example.com/tool"}) {
            INFO(pip);
            auto one = resolved_of(std::string("  pip: [\"") + pip + "\"]\n");
            CHECK(violations(policy, one).size() == 1);
        }
    }
    SECTION("a pinned package that is absent is no violation")
    {
        CHECK(violations(policy, resolved_of("  conda: [scipy]\n")).empty());
    }
}

TEST_CASE("policy-base-image matches the image in every spelling", "[policy]")
{
    Policy policy;
    policy.base_images = Strings{"mcr.microsoft.com/azureml/*", "nvidia/cuda:12.*", "ubuntu:22.04"};
    auto with_image = [](const std::string& docker) {
        return resolved_of("", "docker:\n" + docker);
    };

    SECTION("allowed")
    {
        for (const char* image : {"mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20230509",
                                  "docker.io/nvidia/cuda:12.1.0-runtime-ubuntu22.04",
                                  "nvidia/cuda:12.2.0-devel-ubuntu22.04",
                                  "docker.io/library/ubuntu:22.04"}) {
            INFO(image);
            CHECK(violations(policy, with_image(std::string("  base_image: ") + image + "\n"))
                      .empty());
        }
        CHECK(violations(policy, resolved_of("  conda: [numpy]\n")).empty());
    }
    SECTION("refused")
    {
        CHECK(violations(policy, with_image("  base_image: nvidia/cuda:11.8.0-base\n")) ==
              Strings{"policy-base-image: base image \"nvidia/cuda:11.8.0-base\" is not allowed "
                      "by the policy"});
        CHECK(violations(policy, with_image("  base_image: ubuntu\n")).size() == 1);
    }
    SECTION("an image pulled from docker.registry")
    {
        auto resolved = with_image("  base_image: azureml/openmpi:1\n"
                                   "  registry: {address: evil.example.com}\n");
        CHECK(violations(policy, resolved) ==
              Strings{"policy-base-image: base image \"azureml/openmpi:1\" (from "
                      "\"evil.example.com\") is not allowed by the policy"});
        policy.base_images->push_back("evil.example.com/*");
        CHECK(violations(policy, resolved).empty());
    }
    SECTION("a Dockerfile cannot be checked")
    {
        CHECK(violations(policy, with_image("  base_dockerfile: Dockerfile\n")) ==
              Strings{"policy-base-image: the base image is built from \"Dockerfile\", which "
                      "the policy cannot check"});
    }
}

TEST_CASE("policy-pip-index checks every place pip takes packages from", "[policy]")
{
    Policy policy;
    policy.pip_indexes = Strings{"https://pkgs.example.com/*"};

    SECTION("an allowed index, with credentials and a trailing slash")
    {
        auto resolved = resolved_of(
            "  pip: [requests, \"tool @ https://pkgs.example.com/files/tool-1.0.tar.gz\"]\n"
            "  pip_options: [\"--index-url https://${USER}:${TOKEN}@pkgs.example.com/simple/\"]\n");
        CHECK(violations(policy, resolved).empty());
    }
    SECTION("every option form")
    {
        auto resolved = resolved_of("  pip: [requests]\n"
                                    "  pip_options: [\"-i https://pkgs.example.com/simple\", "
                                    "\"--extra-index-url=https://evil.example.org/simple\", "
                                    "\"--no-cache-dir -f https://evil.example.org/links\"]\n");
        CHECK(violations(policy, resolved) ==
              Strings{"policy-pip-index: pip source \"https://evil.example.org/simple\" "
                      "(--extra-index-url) is not allowed by the policy",
                      "policy-pip-index: pip source \"https://evil.example.org/links\" "
                      "(--find-links) is not allowed by the policy"});
    }
    SECTION("a requirement given by URL")
    {
        auto resolved = resolved_of("  pip: [\"tool @ https://evil.example.org/tool-1.0.whl\"]\n");
        CHECK(violations(policy, resolved) ==
              Strings{"policy-pip-index: pip package \"tool\" is installed from "
                      "\"https://evil.example.org/tool-1.0.whl\", which the policy does not "
                      "allow"});
    }
    SECTION("PyPI, when no --index-url is given")
    {
        auto resolved = resolved_of("  pip: [requests]\n");
        CHECK(violations(policy, resolved) ==
              Strings{"policy-pip-index: pip package \"requests\" comes from the default index "
                      "\"https://pypi.org/simple\" (no --index-url in python.pip_options), which "
                      "the policy does not allow"});
        CHECK(violations(policy, resolved_of("  pip: [requests]\n  pip_options: [--no-index]\n"))
                  .empty());
        policy.pip_indexes->push_back("https://pypi.org/simple/");
        CHECK(violations(policy, resolved).empty());
    }
}

TEST_CASE("a violation is located where the element was written", "[policy]")
{
    Policy policy;
    policy.forbidden_packages = {"pycrypto"};
    auto resolved = resolved_of("  conda: [pycrypto]\n");
    BaseUse base;
    base.requested = "base@latest";
    base.resolved = "base@v2";
    resolved.bases.push_back(base);
    SourceLocation in_base{"environments/base/environment.yaml", 7, 7, "    - pycrypto"};

    SECTION("locally")
    {
        SourceLocation local{k_path, 5, 11, "  conda: [pycrypto]"};
        resolved.origins["python.conda/pycrypto"] = Origin{"train", local};
        auto diagnostics = evaluate_policy(policy, resolved);
        REQUIRE(diagnostics.size() == 1);
        CHECK(format_diagnostic(diagnostics[0]) ==
              "environments/train/environment.yaml:5:11: conda package \"pycrypto\" is "
              "forbidden by the policy\n"
              "      conda: [pycrypto]\n"
              "              ^\n"
              "hint: remove it: policy.forbidden_packages in envstore.yaml forbids it");
    }
    SECTION("in a base")
    {
        resolved.origins["python.conda/pycrypto"] = Origin{"base@v2", in_base};
        auto diagnostics = evaluate_policy(policy, resolved);
        REQUIRE(diagnostics.size() == 1);
        CHECK(diagnostics[0].rule == "policy-forbidden-package");
        // base@v2 was read from its version: its file is named as git does.
        CHECK(format_diagnostic(diagnostics[0]) ==
              "base@v2:environments/base/environment.yaml:7:7: conda package \"pycrypto\" is "
              "forbidden by the policy (inherited from base@v2)\n"
              "        - pycrypto\n"
              "          ^\n"
              "hint: drop it with python.remove: [pycrypto], or remove it from the base");
    }
}

TEST_CASE("every policy rule is documented in docs/policy.md", "[policy]")
{
    std::string docs = test::read_file(test::data_path("../../docs/policy.md"));
    REQUIRE(policy_rules().size() == 5);
    for (const auto& rule : policy_rules()) {
        INFO(rule.id);
        CHECK(docs.find("| `" + std::string(rule.id) + "` |") != std::string::npos);
        CHECK(docs.find("### `" + std::string(rule.id) + "`") != std::string::npos);
    }
}
