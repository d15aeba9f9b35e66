#include "npyheader.h"

#include <cctype>
#include <stdexcept>

namespace untangle {
namespace {

// Largest shape entry the parser accepts; anything bigger is corrupt and must not overflow later products.
constexpr std::int64_t MaxParsedDim = std::int64_t(1) << 62;

/** A cursor over the Python literal; every failure names what was expected and where. */
class LiteralReader {
public:
    explicit LiteralReader(const std::string &text)
        : m_text(text)
    {
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }

    bool peek(char c)
    {
        skipSpace();
        return m_pos < m_text.size() && m_text[m_pos] == c;
    }

    bool accept(char c)
    {
        if (!peek(c))
            return false;
        ++m_pos;
        return true;
    }

    void expect(char c, const char *what)
    {
        if (!accept(c))
            fail(std::string("expected ") + what);
    }

    bool atEnd()
    {
        skipSpace();
        return m_pos == m_text.size();
    }

    std::string string()
    {
        skipSpace();
        if (m_pos >= m_text.size() || (m_text[m_pos] != '\'' && m_text[m_pos] != '"'))
            fail("expected a quoted string");
        const char quote = m_text[m_pos++];
        const auto end = m_text.find(quote, m_pos);
        if (end == std::string::npos)
            fail("unterminated string");
        std::string out = m_text.substr(m_pos, end - m_pos);
        m_pos = end + 1;
        return out;
    }

    bool boolean()
    {
        skipSpace();
        if (m_text.compare(m_pos, 4, "True") == 0) {
            m_pos += 4;
            return true;
        }
        if (m_text.compare(m_pos, 5, "False") == 0) {
            m_pos += 5;
            return false;
        }
        fail("expected True or False");
    }

    std::int64_t integer()
    {
        skipSpace();
        const bool negative = m_pos < m_text.size() && m_text[m_pos] == '-';
        if (negative)
            ++m_pos;
        if (m_pos >= m_text.size() || !std::isdigit(static_cast<unsigned char>(m_text[m_pos])))
            fail("expected an integer");
        std::int64_t value = 0;
        while (m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
            value = value * 10 + (m_text[m_pos++] - '0');
            if (value > MaxParsedDim)
                fail("integer too large");
        }
        if (m_pos < m_text.size() && m_text[m_pos] == 'L') // Python 2 numpy wrote long dimensions as 10L
            ++m_pos;
        return negative ? -value : value;
    }

    /** (a, b, c) with an optional trailing comma; () and (a,) included. */
    std::vector<std::int64_t> intTuple()
    {
        expect('(', "'(' to start the shape tuple");
        std::vector<std::int64_t> values;
        while (!accept(')')) {
            values.push_back(integer());
            if (!accept(',')) {
                expect(')', "',' or ')' in the shape tuple");
                break;
            }
        }
        return values;
    }

    [[noreturn]] void fail(const std::string &problem) const
    {
        throw std::invalid_argument(
            "cannot parse the header dictionary: " + problem + " at character " + std::to_string(m_pos));
    }

private:
    const std::string &m_text;
    std::size_t m_pos = 0;
};

} // namespace

NpyDict parseNpyDict(const std::string &text)
{
    LiteralReader reader(text);
    NpyDict dict;
    bool haveDescr = false, haveOrder = false, haveShape = false;
    reader.expect('{', "'{'");
    while (!reader.accept('}')) {
        const std::string key = reader.string();
        reader.expect(':', "':' after a key");
        if (key == "descr") {
            if (reader.peek('['))
                throw std::invalid_argument("structured dtypes (a list as 'descr') are not supported");
            dict.descr = reader.string();
            haveDescr = true;
        } else if (key == "fortran_order") {
            dict.fortranOrder = reader.boolean();
            haveOrder = true;
        } else if (key == "shape") {
            dict.shape = reader.intTuple();
            haveShape = true;
        } else {
            reader.fail("unknown key '" + key + "'");
        }
        if (!reader.accept(',')) {
            reader.expect('}', "',' or '}'");
            break;
        }
    }
    if (!reader.atEnd())
        reader.fail("unexpected text after the dictionary");
    if (!haveDescr || !haveOrder || !haveShape)
        throw std::invalid_argument(std::string("the header dictionary lacks the key '")
            + (!haveDescr        ? "descr"
                    : !haveOrder ? "fortran_order"
                                 : "shape")
            + "'");
    return dict;
}

std::string formatNpyDict(const NpyDict &dict)
{
    std::string shape = "(";
    for (std::size_t i = 0; i < dict.shape.size(); ++i)
        shape += (i ? ", " : "") + std::to_string(dict.shape[i]);
    if (dict.shape.size() == 1)
        shape += ","; // Python's one-element tuple
    shape += ")";
    return "{'descr': '" + dict.descr + "', 'fortran_order': " + (dict.fortranOrder ? "True" : "False")
        + ", 'shape': " + shape + ", }";
}

} // namespace untangle
