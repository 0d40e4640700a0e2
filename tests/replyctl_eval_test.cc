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

namespace reply {
namespace {

using testing::CtlResult;
using testing::FixtureDir;
using ::testing::HasSubstr;
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
  testing::WriteFile(dir / "other.tsv", "a\tx|other\n");
  EXPECT_THAT(
      eval::ReadLabelled((dir / "other.tsv").string()).status().message(),
      HasSubstr("other.tsv:1: 'other' cannot be combined with an intent"));
  std::filesystem::remove_all(dir);
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

TEST(ReplyctlEvalTest, UnreadableFileIsAUsageError) {
  const CtlResult r =
      RunReplyctl({"eval", "/nonexistent.tsv"}, FixtureDir() / "pack");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent.tsv: cannot open"));
}

// On the dev set replyctl eval reports the precision eval_test computes
// (tp / (tp + fp) per labelled intent), and passes its 0.95 bar.
TEST(ReplyctlEvalTest, DevSetPrecisionMatchesTheEvalTest) {
  const auto rows = testing::ReadEvalSet();
  ASSERT_GE(rows.size(), 600u) << "dev set missing: " << testing::EvalFile();
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
