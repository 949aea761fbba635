/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The aggregate as files: DIR/runs.csv, DIR/summary.csv and DIR/campaign.sqlite. SQLite is
// written with libsqlite3 directly rather than ns-3's SQLiteOutput: the sweep tool runs no
// simulation and links no ns-3 module.

#include "campaign-aggregate.h"
#include "campaign-process.h"
#include "text-util.h"

#include <cmath>
#include <filesystem>
#include <memory>
#include <sqlite3.h>

namespace ns3
{
namespace campaign
{

namespace
{

std::string
CsvLine(const std::vector<std::string>& fields)
{
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i)
    {
        out += (i ? "," : "") + ns3::text::CsvField(fields[i]);
    }
    return out + "\n";
}

const char*
StateName(RunState s)
{
    return s == RunState::DONE ? "done" : s == RunState::FAILED ? "failed" : "pending";
}

std::string
RunsCsv(const Campaign& c, const Aggregate& a)
{
    std::vector<std::string> header{"run_id", "config"};
    for (const auto& p : c.parameters)
    {
        header.push_back(p.name);
    }
    header.insert(header.end(), {"rngrun", "status"});
    for (const auto& m : c.metrics)
    {
        header.push_back(m.name);
    }
    std::string out = CsvLine(header);
    for (const auto& r : a.runs)
    {
        std::vector<std::string> row{r.run->id, ConfigLabel(c, r.run->values)};
        row.insert(row.end(), r.run->values.begin(), r.run->values.end());
        row.push_back(std::to_string(r.run->rngRun));
        row.push_back(StateName(r.state));
        for (size_t m = 0; m < c.metrics.size(); ++m)
        {
            row.push_back(m < r.metrics.size() ? FormatNumber(r.metrics[m]) : "");
        }
        out += CsvLine(row);
    }
    return out;
}

std::string
SummaryCsv(const Campaign& c, const Aggregate& a)
{
    std::vector<std::string> header{"config"};
    for (const auto& p : c.parameters)
    {
        header.push_back(p.name);
    }
    header.insert(header.end(),
                  {"metric", "n", "mean", "sd", "ci95_low", "ci95_high", "failed_runs"});
    std::string out = CsvLine(header);
    for (const auto& cr : a.configs)
    {
        for (size_t m = 0; m < c.metrics.size(); ++m)
        {
            const auto& s = cr.metrics[m];
            std::vector<std::string> row{ConfigLabel(c, cr.values)};
            row.insert(row.end(), cr.values.begin(), cr.values.end());
            row.insert(row.end(),
                       {c.metrics[m].name,
                        std::to_string(s.n),
                        FormatNumber(s.mean),
                        FormatNumber(s.sd),
                        FormatNumber(s.ciLow),
                        FormatNumber(s.ciHigh),
                        std::to_string(cr.failed)});
            out += CsvLine(row);
        }
    }
    return out;
}

struct DbClose
{
    void operator()(sqlite3* db) const
    {
        sqlite3_close(db);
    }
};

struct StmtFinalize
{
    void operator()(sqlite3_stmt* s) const
    {
        sqlite3_finalize(s);
    }
};

/// A small wrapper: every failure becomes an error naming the database file.
class Db
{
  public:
    explicit Db(const std::string& path)
        : m_path(path)
    {
        sqlite3* db = nullptr;
        int rc = sqlite3_open(path.c_str(), &db);
        m_db.reset(db);
        Check(rc);
    }

    void Exec(const std::string& sql)
    {
        Check(sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, nullptr));
    }

    /// Insert one row; each value is text, an integer or a real (NaN becomes NULL).
    struct Value
    {
        enum
        {
            TEXT,
            INT,
            REAL
        } kind;

        std::string text;
        long long i{0};
        double d{0};
    };

    void Insert(const std::string& table, const std::vector<Value>& values)
    {
        std::string sql = "INSERT INTO " + table + " VALUES (";
        for (size_t i = 0; i < values.size(); ++i)
        {
            sql += i ? ",?" : "?";
        }
        sql += ")";
        sqlite3_stmt* raw = nullptr;
        Check(sqlite3_prepare_v2(m_db.get(), sql.c_str(), -1, &raw, nullptr));
        std::unique_ptr<sqlite3_stmt, StmtFinalize> stmt(raw);
        for (size_t i = 0; i < values.size(); ++i)
        {
            int col = static_cast<int>(i + 1);
            const auto& v = values[i];
            if (v.kind == Value::TEXT)
            {
                Check(sqlite3_bind_text(raw, col, v.text.c_str(), -1, SQLITE_TRANSIENT));
            }
            else if (v.kind == Value::INT)
            {
                Check(sqlite3_bind_int64(raw, col, v.i));
            }
            else if (std::isnan(v.d))
            {
                Check(sqlite3_bind_null(raw, col));
            }
            else
            {
                Check(sqlite3_bind_double(raw, col, v.d));
            }
        }
        if (sqlite3_step(raw) != SQLITE_DONE)
        {
            Check(SQLITE_ERROR);
        }
    }

  private:
    void Check(int rc)
    {
        if (rc != SQLITE_OK)
        {
            throw CampaignError(
                m_path + ": SQLite: " + (m_db ? sqlite3_errmsg(m_db.get()) : sqlite3_errstr(rc)));
        }
    }

    std::string m_path;
    std::unique_ptr<sqlite3, DbClose> m_db;
};

Db::Value
T(const std::string& s)
{
    return {Db::Value::TEXT, s, 0, 0};
}

Db::Value
I(long long i)
{
    return {Db::Value::INT, "", i, 0};
}

Db::Value
R(double d)
{
    return {Db::Value::REAL, "", 0, d};
}

std::string
Quoted(const std::string& name)
{
    return "\"" + name + "\"";
}

void
WriteSqlite(const Campaign& c, const Aggregate& a, const std::string& path)
{
    Db db(path);
    std::string params;
    for (const auto& p : c.parameters)
    {
        params += Quoted(p.name) + " TEXT, ";
    }
    db.Exec("BEGIN");
    db.Exec("CREATE TABLE campaign (key TEXT PRIMARY KEY, value TEXT)");
    db.Exec("CREATE TABLE runs (run_id TEXT PRIMARY KEY, config TEXT, " + params +
            "rngrun INTEGER, status TEXT, exit_status INTEGER, command TEXT)");
    db.Exec("CREATE TABLE metrics (run_id TEXT, metric TEXT, value REAL)");
    db.Exec("CREATE TABLE summary (config TEXT, " + params +
            "metric TEXT, n INTEGER, mean REAL, sd REAL, ci95_low REAL, ci95_high REAL, "
            "failed_runs INTEGER)");
    db.Insert("campaign", {T("name"), T(c.name)});
    db.Insert("campaign", {T("format"), T(kFormat)});
    db.Insert("campaign", {T("runs"), T(std::to_string(a.runs.size()))});
    db.Insert("campaign", {T("done"), T(std::to_string(a.done))});
    db.Insert("campaign", {T("failed"), T(std::to_string(a.failed))});
    db.Insert("campaign",
              {T("note"),
               T(a.failed ? std::to_string(a.failed) + " runs failed, excluded from the aggregate"
                          : std::string("all runs done"))});
    for (const auto& r : a.runs)
    {
        std::vector<Db::Value> row{T(r.run->id), T(ConfigLabel(c, r.run->values))};
        for (const auto& v : r.run->values)
        {
            row.push_back(T(v));
        }
        row.insert(row.end(),
                   {I(r.run->rngRun), T(StateName(r.state)), I(r.exitStatus), T(r.command)});
        db.Insert("runs", row);
        for (size_t m = 0; m < r.metrics.size(); ++m)
        {
            db.Insert("metrics", {T(r.run->id), T(c.metrics[m].name), R(r.metrics[m])});
        }
    }
    for (const auto& cr : a.configs)
    {
        for (size_t m = 0; m < c.metrics.size(); ++m)
        {
            const auto& s = cr.metrics[m];
            std::vector<Db::Value> row{T(ConfigLabel(c, cr.values))};
            for (const auto& v : cr.values)
            {
                row.push_back(T(v));
            }
            row.insert(row.end(),
                       {T(c.metrics[m].name),
                        I(s.n),
                        R(s.mean),
                        R(s.sd),
                        R(s.ciLow),
                        R(s.ciHigh),
                        I(cr.failed)});
            db.Insert("summary", row);
        }
    }
    db.Exec("COMMIT");
}

} // namespace

void
WriteAggregate(const Campaign& c, const Aggregate& a, const std::string& dir)
{
    WriteFileAtomically(dir + "/runs.csv", RunsCsv(c, a));
    WriteFileAtomically(dir + "/summary.csv", SummaryCsv(c, a));
    std::string db = dir + "/campaign.sqlite";
    std::string tmp = db + ".tmp";
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    WriteSqlite(c, a, tmp);
    std::filesystem::rename(tmp, db, ec);
    if (ec)
    {
        throw CampaignError(db + ": cannot write (" + ec.message() + ")");
    }
}

} // namespace campaign
} // namespace ns3
