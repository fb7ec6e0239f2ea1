package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"runtime"
	"sort"
)

// Config is a session pod's resolved configuration (behaviour §1): every
// variable of `ambient-workspace env`, validated, defaulted and sanitised.
// Immutable; may be shared between goroutines until Close.
type Config struct {
	c *C.ws_config
}

func newConfig(c *C.ws_config) *Config {
	cfg := &Config{c: c}
	runtime.SetFinalizer(cfg, (*Config).Close)
	return cfg
}

// LoadConfig resolves a configuration from vars (the process environment
// is not read); an empty value counts as unset. A bad value is ErrInvalid
// naming the variable.
func LoadConfig(vars map[string]string) (*Config, error) {
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same map always gives the same first error
	values := make([]string, len(keys))
	for i, k := range keys {
		values[i] = vars[k]
		if err := checkStrings("a variable name", k, k, values[i]); err != nil {
			return nil, err
		}
	}
	var cs cstrings
	defer cs.free()
	ckeys, cvalues := cs.array(keys), cs.array(values)
	var c *C.ws_config
	if err := call(func() C.int { return C.ws_config_from_pairs(&c, ckeys, cvalues, C.size_t(len(keys))) }); err != nil {
		return nil, err
	}
	return newConfig(c), nil
}

// LoadConfigFromEnv resolves the configuration from the process environment.
func LoadConfigFromEnv() (*Config, error) {
	var c *C.ws_config
	if err := call(func() C.int { return C.ws_config_from_env(&c) }); err != nil {
		return nil, err
	}
	return newConfig(c), nil
}

// handle is the C handle, or an error once closed.
func (cfg *Config) handle() (*C.ws_config, error) {
	if cfg == nil || cfg.c == nil {
		return nil, invalid("the Config is nil or closed")
	}
	return cfg.c, nil
}

// Get returns the resolved value of a variable of the table ("" for an unset
// one without default); a name outside the table is ErrNotFound. Secrets
// are returned as given.
func (cfg *Config) Get(name string) (string, error) {
	c, err := cfg.handle()
	if err != nil {
		return "", err
	}
	if err := checkStrings("name", name); err != nil {
		return "", err
	}
	var cs cstrings
	defer cs.free()
	cname := cs.str(name)
	var out *C.char
	err = call(func() C.int { return C.ws_config_get(c, cname, &out) })
	var value string
	if err == nil {
		value = C.GoString(out) // borrowed from the handle: copy before it can go
	}
	runtime.KeepAlive(cfg)
	return value, err
}

// PersistenceEnabled says whether endpoint, bucket and both S3 keys are set.
func (cfg *Config) PersistenceEnabled() bool {
	c, err := cfg.handle()
	if err != nil {
		return false
	}
	on := C.ws_config_persistence_enabled(c) == 1
	runtime.KeepAlive(cfg)
	return on
}

// Close frees the configuration; later calls with it fail with ErrInvalid.
// Calls that already took it keep their own copy.
func (cfg *Config) Close() error {
	if cfg != nil && cfg.c != nil {
		C.ws_config_free(cfg.c)
		cfg.c = nil
		runtime.SetFinalizer(cfg, nil)
	}
	return nil
}
