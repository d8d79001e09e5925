package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/display/web"
	"github.com/numsense/numsense/firmware"
)

func init() {
	register(command{name: "config", summary: "print the default configuration, or check a configuration file", run: cmdConfig})
}

func cmdConfig(args []string, stdout, stderr io.Writer) error {
	const use = "Usage: numsense config default | numsense config check FILE | numsense config lang"
	if len(args) == 0 {
		fmt.Fprintln(stderr, use)
		return errUsage
	}
	switch args[0] {
	case "-h", "--help", "-help":
		fmt.Fprintln(stdout, use+`

default  prints the default configuration (installed as `+firmware.ConfigPath+`),
         every key with its default and what it does.
check    reads FILE as numsense run would and reports the first invalid key.
lang     prints the web page's strings in English (JSON): translate the values
         into a file of your own and name it in web.lang; keys left out stay English.`)
		return nil
	case "lang":
		b, err := json.MarshalIndent(web.English(), "", "  ")
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(b, '\n'))
		return err
	case "default":
		if len(args) > 1 {
			return configSubHelp(args[1:], "Usage: numsense config default\n\nPrints the default configuration (installed as "+firmware.ConfigPath+"),\nevery key with its default and what it does.", use, stdout, stderr)
		}
		_, err := io.WriteString(stdout, firmware.DefaultConfig)
		return err
	case "check":
		if len(args) == 2 && isHelp(args[1]) {
			return configSubHelp(args[1:], "Usage: numsense config check FILE\n\nReads FILE as numsense run would and reports the first invalid key\n(exit status 1), or ok.", use, stdout, stderr)
		}
		if len(args) != 2 {
			fmt.Fprintln(stderr, use)
			return errUsage
		}
		c, err := config.Load(args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: ok (camera %s, display %s)\n", args[1], c.Camera.Source, c.Display.Driver)
		return nil
	}
	fmt.Fprintln(stderr, use)
	return errUsage
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// configSubHelp answers --help after a config subcommand with help, and refuses
// anything else.
func configSubHelp(args []string, help, use string, stdout, stderr io.Writer) error {
	if len(args) == 1 && isHelp(args[0]) {
		fmt.Fprintln(stdout, help)
		return nil
	}
	fmt.Fprintln(stderr, use)
	return errUsage
}
