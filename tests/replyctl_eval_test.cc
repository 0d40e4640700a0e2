// replyctl eval: how labelled messages are counted (tools/eval/evaluation.h)
// on a small fixture of our own, the text report and the HTML page of the
// real binary, and on the dev set the same precision the eval test computes.
#include <expat.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "tests/engine_fixture.h"
#include "tests/replyctl_runner.h"
#include "tools/eval/evaluation.h"
#include "tools/eval/split.h"

namespace reply {
namespace {

using testing::CtlResult;
using testing::FixtureDir;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunReplyctl;

eval::LabelledMessage M(std::string text, std::vector<std::string> labels,
                        int line) {
  return {std::move(text), std::move(labels), line};
}

TEST(EvaluationTest, CountsEitherLabelAndOtherAsDocumented) {
  const std::vector<eval::LabelledMessage> set = {
      M("a1", {"a"}, 1),       // predicted a: tp a
      M("ab", {"a", "b"}, 2),  // predicted b: tp b, no miss of a
      M("b?", {"b"}, 3),       // predicted nothing: fn b
      M("o1", {"other"}, 4),   // predicted a: fp a
      M("o2", {"other"}, 5),   // predicted z (not labelled anywhere): other
      M("a+", {"a"}, 6),       // predicted a and b: tp a, fp b
  };
  const std::map<std::string, std::vector<std::string>> predictions = {
      {"a1", {"a"}}, {"ab", {"b"}},      {"b?", {}},
      {"o1", {"a"}}, {"o2", {"z", "y"}}, {"a+", {"a", "b"}}};
  const eval::Evaluation e = eval::Evaluate(
      set, [&](const std::string& text) { return predictions.at(text); });
  ASSERT_EQ(e.scores.size(), 2u);
  const eval::IntentScore& a = e.scores[0];
  const eval::IntentScore& b = e.scores[1];
  EXPECT_EQ(a.intent, "a");
  EXPECT_EQ(std::make_tuple(a.tp, a.fp, a.fn, a.support),
            std::make_tuple(2, 1, 0, 3));
  EXPECT_DOUBLE_EQ(a.precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(a.recall, 1.0);
  EXPECT_DOUBLE_EQ(a.f1, 0.8);
  EXPECT_EQ(std::make_tuple(b.tp, b.fp, b.fn, b.support),
            std::make_tuple(1, 1, 1, 2));
  EXPECT_DOUBLE_EQ(b.precision, 0.5);
  EXPECT_DOUBLE_EQ(b.recall, 0.5);
  EXPECT_DOUBLE_EQ(e.macro_precision, (2.0 / 3 + 0.5) / 2);

  EXPECT_EQ(e.classes, (std::vector<std::string>{"a", "b", "other"}));
  // Rows are labels, columns predictions; "ab" answered b sits on b's
  // diagonal.
  EXPECT_EQ(e.confusion,
            (std::vector<std::vector<int>>{{2, 0, 0}, {0, 1, 1}, {1, 0, 1}}));
  EXPECT_EQ(e.correct, 3);
  EXPECT_EQ(e.other_messages, 2);
  EXPECT_EQ(e.other_predicted, 1);
  std::vector<int> wrong_lines;
  for (const eval::Misclassified& m : e.misclassified) {
    wrong_lines.push_back(m.line);
  }
  EXPECT_EQ(wrong_lines, (std::vector<int>{3, 4, 6}));
}

TEST(EvaluationTest, ReadLabelledSaysWhereALineIsWrong) {
  const std::filesystem::path dir = testing::MakeTempDir("eval-read");
  testing::WriteFile(dir / "ok.tsv", "a b\tx|y\r\n\nc\tother\n");
  Result<std::vector<eval::LabelledMessage>> ok =
      eval::ReadLabelled((dir / "ok.tsv").string());
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].labels, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ((*ok)[1].line, 3);
  testing::WriteFile(dir / "tab.tsv", "a\tx\nno tab here\n");
  EXPECT_EQ(eval::ReadLabelled((dir / "tab.tsv").string()).status().message(),
            (dir / "tab.tsv").string() + ":2: expected text<TAB>label");
  testing::WriteFile(dir / "empty.tsv", "a\tx\n\t\n");
  EXPECT_EQ(eval::ReadLabelled((dir / "empty.tsv").string()).status().message(),
            (dir / "empty.tsv").string() + ":2: no message text");
  std::filesystem::remove_all(dir);
}

// The newer sets have a header and a source column: columns are taken by
// name, in any order, and the others ignored.
TEST(EvaluationTest, ReadLabelledTakesColumnsByTheirHeaderNames) {
  const std::filesystem::path dir = testing::MakeTempDir("eval-header");
  testing::WriteFile(dir / "h.tsv",
                     "source\tlabel\ttext\nrepo:1\ta|other\thello there\n"
                     "repo:2\tother\tbye\n");
  Result<std::vector<eval::LabelledMessage>> ok =
      eval::ReadLabelled((dir / "h.tsv").string());
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].text, "hello there");
  EXPECT_EQ((*ok)[0].labels, (std::vector<std::string>{"a", "other"}));
  EXPECT_EQ((*ok)[0].line, 2);
  EXPECT_EQ((*ok)[1].text, "bye");
  testing::WriteFile(dir / "short.tsv", "text\tlabel\tsource\nhi\ta\n");
  EXPECT_EQ(
      eval::ReadLabelled((dir / "short.tsv").string()).status().message(),
      (dir / "short.tsv").string() +
          ":2: expected 3 tab-separated columns, as in the header; got 2");
  testing::WriteFile(dir / "nolabel.tsv", "text\tsource\nhi\tx\n");
  EXPECT_EQ(
      eval::ReadLabelled((dir / "nolabel.tsv").string()).status().message(),
      (dir / "nolabel.tsv").string() +
          ":1: the header names no 'label' column");
  std::filesystem::remove_all(dir);
}

// `a|other`: answering a or answering nothing is right; it is not an
// `other` message for the misfire rate. Intents with too few lines stay out
// of the macro average.
TEST(EvaluationTest, EitherAnIntentOrNothingAndMinSupport) {
  const std::vector<eval::LabelledMessage> set = {
      M("ao1", {"a", "other"}, 1),  // predicted nothing: right, no miss
      M("ao2", {"a", "other"}, 2),  // predicted a: tp a
      M("ao3", {"a", "other"}, 3),  // predicted b: fp b, fn a
      M("o", {"other"}, 4),         // predicted nothing: right
      M("b", {"b"}, 5),             // predicted b: tp b
  };
  const std::map<std::string, std::vector<std::string>> predictions = {
      {"ao1", {}}, {"ao2", {"a"}}, {"ao3", {"b"}}, {"o", {}}, {"b", {"b"}}};
  const eval::Evaluation e = eval::Evaluate(
      set, [&](const std::string& text) { return predictions.at(text); },
      /*min_support=*/2);
  ASSERT_EQ(e.scores.size(), 2u);
  const eval::IntentScore& a = e.scores[0];
  const eval::IntentScore& b = e.scores[1];
  EXPECT_EQ(std::make_tuple(a.tp, a.fp, a.fn, a.support),
            std::make_tuple(1, 0, 1, 3));
  EXPECT_EQ(std::make_tuple(b.tp, b.fp, b.fn, b.support),
            std::make_tuple(1, 1, 0, 1));
  EXPECT_TRUE(a.in_macro);
  EXPECT_FALSE(b.in_macro);
  EXPECT_DOUBLE_EQ(e.macro_precision, 1.0);
  EXPECT_DOUBLE_EQ(e.macro_recall, 0.5);
  EXPECT_DOUBLE_EQ(e.macro_f1, a.f1);
  EXPECT_EQ(e.other_messages, 1);
  EXPECT_EQ(e.other_predicted, 0);
  EXPECT_EQ(e.correct, 4);
  // "ao1", answered by nothing, sits on other's diagonal; "ao3" in row a.
  EXPECT_EQ(e.confusion,
            (std::vector<std::vector<int>>{{1, 1, 0}, {0, 1, 0}, {0, 0, 2}}));
}

TEST(SplitTest, Sha256OfTheTextAsWritten) {
  EXPECT_EQ(eval::Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // As sha256sum computes it for the fixture's first line.
  EXPECT_EQ(eval::Sha256Hex("怎么还不发货"),
            "c8d99f66cd2e4066c8c5243dec618b7f0297ac240d3a7629cdce23c7deb788b9");
}

TEST(SplitTest, SelectsOneHalfAndRefusesLinesInNeither) {
  const std::string dir = (FixtureDir() / "eval").string();
  Result<eval::Split> split = eval::Split::Read(dir + "/split.tsv");
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  Result<std::vector<eval::LabelledMessage>> set =
      eval::ReadLabelled(dir + "/set.tsv");
  ASSERT_TRUE(set.ok());
  const auto lines = [](const std::vector<eval::LabelledMessage>& ms) {
    std::vector<int> out;
    for (const auto& m : ms) out.push_back(m.line);
    return out;
  };
  Result<std::vector<eval::LabelledMessage>> dev =
      split->Select(*set, "set.tsv", eval::Half::kDev);
  ASSERT_TRUE(dev.ok()) << dev.status().ToString();
  EXPECT_EQ(lines(*dev), (std::vector<int>{2, 3, 5}));
  Result<std::vector<eval::LabelledMessage>> held =
      split->Select(*set, "set.tsv", eval::Half::kHeldOut);
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(lines(*held), (std::vector<int>{4, 6, 7}));

  set->push_back(M("fresh text one", {"other"}, 8));
  set->push_back(M("fresh text two", {"other"}, 9));
  const Result<std::vector<eval::LabelledMessage>> missing =
      split->Select(*set, "set.tsv", eval::Half::kDev);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(),
              HasSubstr("2 of 8 lines of set.tsv are in neither half of "));
  EXPECT_THAT(missing.status().message(), HasSubstr("(lines 8, 9)"));
  EXPECT_THAT(missing.status().message(), Not(HasSubstr("fresh text")));
  EXPECT_THAT(
      split->Select(*set, "other.tsv", eval::Half::kDev).status().message(),
      HasSubstr("records no lines of 'other.tsv' (the labelled file's "
                "name); its sets are set.tsv"));
}

TEST(ReplyctlEvalTest, ReportOnTheFixture) {
  const CtlResult r =
      RunReplyctl({"eval", "../labelled.tsv"}, FixtureDir() / "pack");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "eval ../labelled.tsv: 8 messages, 2 intents evaluated\n"
            "\n"
            "intent          precision  recall      f1     tp     fp     fn"
            "  support\n"
            "urge_shipment       0.750   0.750   0.750      3      1      1"
            "        4\n"
            "wrong_size          0.667   1.000   0.800      2      1      0"
            "        2\n"
            "macro average       0.708   0.875   0.775\n"
            "\n"
            "right: 5 of 8 messages\n"
            "other messages given an intent: 2 of 3 (66.67%)\n"
            "\n"
            "confusion (rows: label, columns: predicted)\n"
            "                       [1]    [2]    [3]\n"
            "  [1] urge_shipment      3      0      1\n"
            "  [2] wrong_size         0      1      0\n"
            "  [3] other              1      1      1\n"
            "\n"
            "misclassified (3)\n"
            "  ../labelled.tsv:3  label urge_shipment  predicted other  "
            "发货太慢了吧\n"
            "  ../labelled.tsv:6  label other  predicted wrong_size  "
            "衣服尺码大了\n"
            "  ../labelled.tsv:8  label other  predicted urge_shipment  "
            "你们还没发货啊\n");
}

TEST(ReplyctlEvalTest, HtmlPageWithAConfusionChart) {
  const std::filesystem::path dir = testing::MakeTempDir("eval-html");
  const std::filesystem::path html = dir / "report.html";
  const CtlResult r =
      RunReplyctl({"eval", "../labelled.tsv", "--html", html.string()},
                  FixtureDir() / "pack");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string page = testing::ReadFile(html);
  std::filesystem::remove_all(dir);
  EXPECT_THAT(page, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"num low\">0.750</td>"));
  EXPECT_THAT(page, HasSubstr("<td>你们还没发货啊</td>"));
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  // The chart: an SVG that an XML parser accepts, one cell per pair.
  const size_t begin = page.find("<svg");
  const size_t end = page.find("</svg>");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const std::string svg = page.substr(begin, end + 6 - begin);
  XML_Parser parser = XML_ParserCreate("UTF-8");
  EXPECT_EQ(XML_Parse(parser, svg.data(), static_cast<int>(svg.size()), 1),
            XML_STATUS_OK)
      << XML_ErrorString(XML_GetErrorCode(parser));
  XML_ParserFree(parser);
  size_t rects = 0;
  for (size_t at = svg.find("<rect"); at != std::string::npos;
       at = svg.find("<rect", at + 1)) {
    ++rects;
  }
  EXPECT_EQ(rects, 9u);
  EXPECT_THAT(svg, HasSubstr("<title>label other, predicted urge_shipment: "
                             "1</title>"));
}

// The fixture set (tests/fixtures/eval) has a header and a source column;
// its split puts lines 2, 3, 5 in dev and 4, 6, 7 in heldout.
const std::vector<std::string> kHeldOutTexts = {
    "发货太慢了吧", "你们还没发货啊", "怎麼還沒發貨呢"};

TEST(ReplyctlEvalTest, DevHalfListsItsMisclassifiedMessages) {
  const CtlResult r = RunReplyctl({"eval", "../eval/set.tsv", "--split",
                                   "../eval/split.tsv", "--half", "dev"},
                                  FixtureDir() / "pack");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("eval ../eval/set.tsv, dev half of "
                               "../eval/split.tsv (3 of 6 lines): 3 messages, "
                               "2 intents evaluated\n"));
  EXPECT_THAT(r.out, HasSubstr("other messages given an intent: 1 of 1 "
                               "(100.00%)\n"));
  EXPECT_THAT(r.out, HasSubstr("misclassified (1)\n  ../eval/set.tsv:5  label "
                               "other  predicted wrong_size  衣服尺码大了\n"));
  for (const std::string& text : kHeldOutTexts) {
    EXPECT_THAT(r.out, Not(HasSubstr(text)));
  }
}

TEST(ReplyctlEvalTest, HeldOutHalfShowsScoresButNoMessage) {
  const std::filesystem::path dir = testing::MakeTempDir("eval-heldout");
  const std::filesystem::path html = dir / "report.html";
  for (const bool traditional : {false, true}) {
    std::vector<std::string> args = {
        "eval",   "../eval/set.tsv", "--split", "../eval/split.tsv",
        "--half", "heldout",         "--html",  html.string()};
    if (traditional) args.push_back("--traditional");
    const CtlResult r = RunReplyctl(args, FixtureDir() / "pack");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(
        r.out,
        HasSubstr("heldout half of ../eval/split.tsv (3 of 6 "
                  "lines)" +
                  std::string(traditional ? ", converted to Traditional" : "") +
                  ": 3 messages, 1 intents evaluated\n"));
    EXPECT_THAT(r.out, HasSubstr("urge_shipment       1.000   0.667   0.800"
                                 "      2      0      1        3\n"));
    EXPECT_THAT(r.out,
                HasSubstr("misclassified: 1 (not listed: the held-out half's "
                          "messages are never shown)\n"));
    const std::string page = testing::ReadFile(html);
    EXPECT_THAT(page, HasSubstr("<h2>Misclassified (1)</h2>"));
    for (const std::string& text : kHeldOutTexts) {
      for (const std::string& form :
           {text, (**Normalizer::Shared()).ToTraditional(text)}) {
        EXPECT_THAT(r.out + r.err, Not(HasSubstr(form)));
        EXPECT_THAT(page, Not(HasSubstr(form)));
      }
    }
    // Nor the line numbers of the misclassified ones.
    EXPECT_THAT(r.out, Not(HasSubstr("set.tsv:4")));
  }
  std::filesystem::remove_all(dir);
}

TEST(ReplyctlEvalTest, FloorsFailTheRunAndSayWhich) {
  const CtlResult r =
      RunReplyctl({"eval", "../eval/set.tsv", "--split", "../eval/split.tsv",
                   "--half", "dev", "--min-macro-f1", "0.9", "--max-misfire",
                   "0.5", "--min-precision", "0.6"},
                  FixtureDir() / "pack");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("precision of wrong_size is 0.500, below "
                               "0.600\n"));
  EXPECT_THAT(r.out, HasSubstr("macro F1 is 0.833, below 0.900\n"));
  EXPECT_THAT(r.out, HasSubstr("other messages given an intent: 100.00%, "
                               "above 50.00%\n"));
  const CtlResult pass = RunReplyctl(
      {"eval", "../eval/set.tsv", "--split", "../eval/split.tsv", "--half",
       "dev", "--min-macro-f1", "0.8", "--max-misfire", "1"},
      FixtureDir() / "pack");
  EXPECT_EQ(pass.exit_code, 0) << pass.out;
  // With --min-support 2 both intents (1 line each) are left out of the
  // macro average, and so out of --min-precision.
  const CtlResult support = RunReplyctl(
      {"eval", "../eval/set.tsv", "--split", "../eval/split.tsv", "--half",
       "dev", "--min-support", "2", "--min-precision", "0.6"},
      FixtureDir() / "pack");
  EXPECT_EQ(support.exit_code, 0) << support.out;
  EXPECT_THAT(support.out, HasSubstr("wrong_size *"));
  EXPECT_THAT(support.out, HasSubstr("* fewer than 2 labelled messages: not "
                                     "in the macro average\n"));
}

TEST(ReplyctlEvalTest, SplitProblemsAreUsageErrors) {
  const std::filesystem::path dir = testing::MakeTempDir("eval-split");
  std::filesystem::copy(FixtureDir() / "eval", dir,
                        std::filesystem::copy_options::recursive);
  testing::WriteFile(dir / "set.tsv", testing::ReadFile(dir / "set.tsv") +
                                          "一句新的话\tother\tnew\n");
  const CtlResult r =
      RunReplyctl({"eval", (dir / "set.tsv").string(), "--split",
                   (dir / "split.tsv").string(), "--half", "heldout"},
                  FixtureDir() / "pack");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("1 of 7 lines of set.tsv are in neither half"));
  EXPECT_THAT(r.err, Not(HasSubstr("一句新的话")));
  const CtlResult half =
      RunReplyctl({"eval", (dir / "set.tsv").string(), "--split",
                   (dir / "split.tsv").string(), "--half", "test"},
                  FixtureDir() / "pack");
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_THAT(half.err, HasSubstr("'test' is not a half; expected dev or "
                                  "heldout"));
  const CtlResult alone =
      RunReplyctl({"eval", (dir / "set.tsv").string(), "--half", "dev"},
                  FixtureDir() / "pack");
  EXPECT_EQ(alone.exit_code, 2);
  std::filesystem::remove_all(dir);
}

// On the real sets, the held-out half's report holds none of its messages
// (the test reads them to check, and never prints one).
TEST(ReplyctlEvalTest, RealHeldOutHalvesPrintNoMessage) {
  Result<eval::Split> split =
      eval::Split::Read((testing::SourceDir() / "eval/split.tsv").string());
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  for (const std::string set :
       {"zh_buyer_messages_more.tsv", "vi_buyer_messages.tsv"}) {
    const std::string file =
        (std::filesystem::path(REPLY_EVAL_DIR) / set).string();
    ASSERT_TRUE(std::filesystem::exists(file))
        << testing::EvalSetNotFound(file);
    Result<std::vector<eval::LabelledMessage>> all = eval::ReadLabelled(file);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    Result<std::vector<eval::LabelledMessage>> held =
        split->Select(*all, set, eval::Half::kHeldOut);
    ASSERT_TRUE(held.ok()) << held.status().message();
    ASSERT_GT(held->size(), 100u);
    const CtlResult r = RunReplyctl(
        {"eval", file, "--packs", testing::SourceDir().string(), "--split",
         (testing::SourceDir() / "eval/split.tsv").string(), "--half",
         "heldout"});
    EXPECT_EQ(r.exit_code, 0) << r.err.substr(0, 200);
    EXPECT_THAT(r.out, HasSubstr("misclassified: "));
    int shown = 0;
    for (const eval::LabelledMessage& m : *held) {
      if (m.text.size() < 12) continue;  // short texts occur by chance
      shown += (r.out + r.err).find(m.text) != std::string::npos;
    }
    EXPECT_EQ(shown, 0) << set << ": held-out messages in the report";
  }
}

TEST(ReplyctlEvalTest, UnreadableFileIsAUsageError) {
  const CtlResult r =
      RunReplyctl({"eval", "/nonexistent.tsv"}, FixtureDir() / "pack");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent.tsv: cannot open"));
}

// On the dev set replyctl eval reports the precision eval_test computes
// (tp / (tp + fp) per labelled intent), and passes its 0.95 bar.
TEST(ReplyctlEvalTest, DevSetPrecisionMatchesTheEvalTest) {
  ASSERT_TRUE(std::filesystem::exists(testing::EvalFile()))
      << testing::EvalSetNotFound(testing::EvalFile());
  const auto rows = testing::ReadEvalSet();
  ASSERT_GE(rows.size(), 600u) << testing::EvalFile() << " is cut short";
  std::set<std::string> labelled;
  for (const auto& [text, label] : rows) {
    for (const std::string& l : {label.substr(0, label.find('|')),
                                 label.substr(label.find('|') + 1)}) {
      if (l != "other") labelled.insert(l);
    }
  }
  std::map<std::string, std::pair<int, int>> tp_fp;
  for (const auto& [text, label] : rows) {
    Request request;
    request.message = text;
    request.locale = "zh";
    Result<Response> r = testing::BundledEngine().Suggest(request);
    ASSERT_TRUE(r.ok());
    for (const IntentMatch& m : r->intents) {
      if (!labelled.count(m.name)) continue;
      const bool gold =
          ("|" + label + "|").find("|" + m.name + "|") != std::string::npos;
      (gold ? tp_fp[m.name].first : tp_fp[m.name].second)++;
    }
  }
  const CtlResult r = RunReplyctl(
      {"eval", testing::EvalFile().string(), "--locale", "zh", "--packs",
       testing::SourceDir().string(), "--min-precision", "0.95"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const std::string& intent : labelled) {
    const auto [tp, fp] = tp_fp[intent];
    char precision[16];
    std::snprintf(precision, sizeof precision, "%.3f",
                  tp + fp == 0 ? 1.0 : double(tp) / (tp + fp));
    const size_t at = r.out.find("\n" + intent + " ");
    ASSERT_NE(at, std::string::npos) << intent << " missing:\n" << r.out;
    const std::string row = r.out.substr(at + 1, r.out.find('\n', at + 1) - at);
    EXPECT_THAT(row, HasSubstr(std::string(" ") + precision + " ")) << row;
  }
}

}  // namespace
}  // namespace reply
