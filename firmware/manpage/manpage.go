// Package manpage writes a manual page (roff with the man macros, as man(1) reads it)
// from the plain-text help a program prints, so that the page is made from the same
// texts as --help and cannot drift from them. "numsense help --man" uses it for
// numsense(1), which the Debian package installs.
//
// The help text is read the way it is laid out:
//   - paragraphs are separated by blank lines;
//   - a paragraph starting "Usage:", and one whose lines are indented or set in
//     columns (two or more spaces inside a line), is kept line for line;
//   - a paragraph starting "Flags:" is the output of the flag package's
//     PrintDefaults ("  -name type" lines, each followed by its tab-indented usage)
//     and becomes a tagged list, as does one of "  name  summary" lines under a
//     heading that ends in ":" (a command list);
//   - any other paragraph is filled text.
//
// Backslashes, option dashes and lines starting with "." or "'" are escaped, so any
// text renders as written.
package manpage

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// A Page is one manual page.
type Page struct {
	Name    string // the program, e.g. "numsense"
	Section string // the manual section, e.g. "1"
	Date    string // the date in the footer, e.g. "2025-12-03"; may be empty
	Source  string // the program and its version, e.g. "numsense 1.2.0"
	Manual  string // the manual's title, e.g. "User Commands"
	Summary string // what the program is, for the NAME line (and whatis)
	// Sections follow NAME: usually SYNOPSIS, DESCRIPTION, ..., SEE ALSO.
	Sections []Section
}

// A Section is a section (.SH) or, inside one, a subsection (.SS).
type Section struct {
	Title       string
	Text        string // help text, read as described in the package documentation
	Subsections []Section
}

// Render writes p as roff.
func Render(w io.Writer, p Page) error {
	if p.Name == "" || p.Section == "" || p.Summary == "" {
		return fmt.Errorf("manpage: a page needs a name, a section and a summary")
	}
	var b strings.Builder
	fmt.Fprintf(&b, ".\\\" The manual page %s(%s), made from its --help texts; do not edit.\n", p.Name, p.Section)
	fmt.Fprintf(&b, ".TH %s %s %s %s %s\n", quote(strings.ToUpper(p.Name)), quote(p.Section),
		quote(p.Date), quote(p.Source), quote(p.Manual))
	// Left-aligned and unhyphenated: command names and paths stay whole.
	b.WriteString(".ad l\n.nh\n")
	fmt.Fprintf(&b, ".SH NAME\n%s \\- %s\n", escape(p.Name), escape(p.Summary))
	for _, s := range p.Sections {
		fmt.Fprintf(&b, ".SH %s\n", quote(strings.ToUpper(s.Title)))
		text(&b, s.Text)
		for _, sub := range s.Subsections {
			fmt.Fprintf(&b, ".SS %s\n", quote(sub.Title))
			text(&b, sub.Text)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// quote is a macro argument in double quotes (a quote inside becomes \(dq).
func quote(s string) string {
	return `"` + strings.ReplaceAll(escape(s), `"`, `\(dq`) + `"`
}

// option is a word that starts with "-": an option such as -o, --help or
// -calib-images, or a negative number. Its dashes must print as the ASCII
// hyphen-minus (roff's \-), not as hyphens, so that a copied option works.
var option = regexp.MustCompile(`(^|[\s(\[|=,"'/])(-[-\w.=]*)`)

// escape makes s safe as roff text inside a line.
func escape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	return option.ReplaceAllStringFunc(s, func(m string) string {
		i := strings.IndexByte(m, '-')
		return m[:i] + strings.ReplaceAll(m[i:], "-", `\-`)
	})
}

// line is one output line of text: escaped, with a leading "." or "'" (which roff
// would read as a request) guarded by \&.
func line(s string) string {
	s = escape(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

var columns = regexp.MustCompile(`\S {2,}\S`)

// text writes a help text as described in the package documentation.
func text(b *strings.Builder, t string) {
	for _, para := range paragraphs(t) {
		first := para[0]
		switch {
		case first == "Flags:" && len(para) > 1:
			b.WriteString(".PP\nFlags:\n")
			flags(b, para[1:])
		case strings.HasSuffix(first, ":") && len(para) > 1 && isList(para[1:]):
			b.WriteString(".PP\n" + line(first) + "\n")
			width := 0
			for _, l := range para[1:] {
				name, _ := splitColumns(l)
				width = max(width, len(name)+2)
			}
			for _, l := range para[1:] {
				name, desc := splitColumns(l)
				fmt.Fprintf(b, ".TP %d\n.B %s\n%s\n", min(width, 12), line(name), line(desc))
			}
		case strings.HasPrefix(first, "Usage:") || preformatted(para):
			b.WriteString(".PP\n.nf\n")
			for _, l := range para {
				b.WriteString(line(strings.TrimRight(l, " \t")) + "\n")
			}
			b.WriteString(".fi\n")
		default:
			b.WriteString(".PP\n")
			for _, l := range para {
				b.WriteString(line(strings.TrimSpace(l)) + "\n")
			}
		}
	}
}

// paragraphs splits a text at blank lines.
func paragraphs(t string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range strings.Split(strings.ReplaceAll(t, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

func preformatted(para []string) bool {
	for i, l := range para {
		if (i > 0 && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t"))) || columns.MatchString(l) {
			return true
		}
	}
	return false
}

// isList reports whether every line is "  name   description".
func isList(lines []string) bool {
	for _, l := range lines {
		if !strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "  -") {
			return false
		}
		if _, desc := splitColumns(l); desc == "" {
			return false
		}
	}
	return true
}

func splitColumns(l string) (string, string) {
	l = strings.TrimSpace(l)
	loc := regexp.MustCompile(`\s{2,}`).FindStringIndex(l)
	if loc == nil {
		return l, ""
	}
	return l[:loc[0]], l[loc[1]:]
}

// flags writes the lines of flag.PrintDefaults as a tagged list. Each flag is a
// line "  -name type" (two spaces first) followed by its usage on lines that start
// with four spaces and a tab; a one-letter boolean flag has its usage on the same
// line after a tab ("  -q\tquiet").
func flags(b *strings.Builder, lines []string) {
	for _, l := range lines {
		if strings.HasPrefix(l, "  -") {
			head, usage, _ := strings.Cut(strings.TrimSpace(l), "\t")
			name, typ, _ := strings.Cut(head, " ")
			b.WriteString(".TP\n\\fB" + escape(name) + "\\fR")
			if typ != "" {
				b.WriteString(" \\fI" + escape(typ) + "\\fR")
			}
			b.WriteString("\n")
			if usage = strings.TrimSpace(usage); usage != "" {
				b.WriteString(line(usage) + "\n")
			}
			continue
		}
		if t := strings.TrimSpace(l); t != "" {
			b.WriteString(line(t) + "\n")
		}
	}
}
