/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_PARSE_RESULT_H
#define PRESEC_PARSE_RESULT_H

#include <optional>
#include <string>
#include <utility>

namespace ns3
{

/**
 * \ingroup presec-common
 * The outcome of parsing text: a value, or an error naming where and what was expected.
 *
 * Parsers of outside input (setkey text, XML, SIP) return this instead of aborting, so a
 * simulation can count and report bad input.
 */
template <typename T>
class ParseResult
{
  public:
    /**
     * A success.
     * \param value the parsed value
     * \return the result
     */
    static ParseResult Ok(T value)
    {
        ParseResult r;
        r.m_value = std::move(value);
        return r;
    }

    /**
     * A failure.
     * \param message what was wrong or expected
     * \param line 1-based line (0 when unknown)
     * \param column 1-based column (0 when unknown)
     * \return the result
     */
    static ParseResult Fail(std::string message, unsigned line = 0, unsigned column = 0)
    {
        ParseResult r;
        r.m_error = std::move(message);
        r.m_line = line;
        r.m_column = column;
        return r;
    }

    /** \return true on success */
    bool IsOk() const
    {
        return m_value.has_value();
    }

    /** \return true on success */
    explicit operator bool() const
    {
        return IsOk();
    }

    /** \return the value; only on success */
    const T& GetValue() const
    {
        return *m_value;
    }

    /** \return the value, moved out; only on success */
    T TakeValue()
    {
        return std::move(*m_value);
    }

    /** \return the error message (empty on success) */
    const std::string& GetError() const
    {
        return m_error;
    }

    /** \return 1-based line of the error, 0 when unknown */
    unsigned GetLine() const
    {
        return m_line;
    }

    /** \return 1-based column of the error, 0 when unknown */
    unsigned GetColumn() const
    {
        return m_column;
    }

    /** \return "line L, column C: message" (parts omitted when unknown) */
    std::string Describe() const
    {
        std::string where;
        if (m_line > 0)
        {
            where = "line " + std::to_string(m_line);
        }
        if (m_column > 0)
        {
            where +=
                (where.empty() ? "" : ", ") + std::string("column ") + std::to_string(m_column);
        }
        return where.empty() ? m_error : where + ": " + m_error;
    }

  private:
    std::optional<T> m_value; //!< the value on success
    std::string m_error;      //!< the message on failure
    unsigned m_line{0};       //!< 1-based line of the failure
    unsigned m_column{0};     //!< 1-based column of the failure
};

} // namespace ns3

#endif // PRESEC_PARSE_RESULT_H
