package main

import (
	"fmt"
	"io"

	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/firmware"
)

func init() {
	register(command{name: "config", summary: "print the default configuration, or check a configuration file", run: cmdConfig})
}

func cmdConfig(args []string, stdout, stderr io.Writer) error {
	const use = "Usage: numsense config default | numsense config check FILE"
	if len(args) == 0 {
		fmt.Fprintln(stderr, use)
		return errUsage
	}
	switch args[0] {
	case "-h", "--help", "-help":
		fmt.Fprintln(stdout, use+`

default  prints the default configuration (installed as `+firmware.ConfigPath+`),
         every key with its default and what it does.
check    reads FILE as numsense run would and reports the first invalid key.`)
		return nil
	case "default":
		_, err := io.WriteString(stdout, firmware.DefaultConfig)
		return err
	case "check":
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
