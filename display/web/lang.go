package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// English returns the page's strings in English (assets/lang/en.json): the keys a
// language file may set.
func English() map[string]string {
	m, err := parseLang("lang/en.json", mustAsset("assets/lang/en.json"))
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return m
}

func mustAsset(name string) []byte {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

// LoadLang returns the page's strings: English, with every key that the language
// file path sets replaced ("" is English alone). A key English does not have, a
// value that is not a string, or a file that is not a JSON object is an error
// naming the file and the key; keys the file leaves out stay English.
func LoadLang(path string) (map[string]string, error) {
	en := English()
	if path == "" {
		return en, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("web: language file: %w", err)
	}
	m, err := parseLang(path, data)
	if err != nil {
		return nil, err
	}
	var unknown []string
	for k, v := range m {
		if _, ok := en[k]; !ok {
			unknown = append(unknown, k)
			continue
		}
		en[k] = v
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("web: language file %s: unknown key %q (numsense config lang prints the keys, in English)", path, unknown[0])
	}
	return en, nil
}

func parseLang(path string, data []byte) (map[string]string, error) {
	var raw map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&raw); err != nil {
		return nil, fmt.Errorf("web: language file %s: not a JSON object of strings: %v", path, err)
	}
	m := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fmt.Errorf("web: language file %s: key %q: the value is not a string", path, k)
		}
		m[k] = s
	}
	return m, nil
}
