package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"context"
	"runtime"
	"sync"
)

// Sidecar is the state-sync loop: after SYNC_INITIAL_DELAY a cycle every
// SYNC_INTERVAL, a repo backup every REPO_BACKUP_INTERVAL-th cycle.
type Sidecar struct {
	mu      sync.Mutex // guards c against Close while Stop runs
	c       *C.ws_sidecar
	cb      *callbackSet
	running sync.WaitGroup
}

// NewSidecar creates the loop for cfg (copied: cfg may be closed after).
// The callbacks of opts receive its events until Close.
func NewSidecar(cfg *Config, opts *Options) (*Sidecar, error) {
	c, err := cfg.handle()
	if err != nil {
		return nil, err
	}
	var cs cstrings
	defer cs.free()
	copts, err := opts.c(&cs)
	if err != nil {
		return nil, err
	}
	cb := newCallbackSet(opts.callbacks())
	var out *C.ws_sidecar
	err = call(func() C.int { return C.ws_sidecar_new(&out, c, copts, cb.c()) })
	runtime.KeepAlive(cfg)
	if err != nil {
		cb.release()
		return nil, err
	}
	s := &Sidecar{c: out, cb: cb}
	runtime.SetFinalizer(s, (*Sidecar).Close)
	return s, nil
}

// Run runs the loop on this goroutine until ctx ends or Stop is called,
// then one last repo backup and sync; it returns that final sync's error
// (nil when it succeeded). It runs at most once per Sidecar. With
// persistence off it only waits for the end.
func (s *Sidecar) Run(ctx context.Context) error {
	s.mu.Lock()
	c := s.c
	if c != nil {
		s.running.Add(1)
	}
	s.mu.Unlock()
	if c == nil {
		return invalid("the Sidecar is nil or closed")
	}
	defer s.running.Done()
	done, watcher := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watcher)
		select {
		case <-ctx.Done():
			C.ws_sidecar_stop(c)
		case <-done:
		}
	}()
	err := call(func() C.int { return C.ws_sidecar_run(c) })
	close(done)
	<-watcher
	return s.cb.result(err)
}

// Stop asks a running (or not yet started) Run to finish; safe from any
// goroutine, any number of times.
func (s *Sidecar) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c != nil {
		C.ws_sidecar_stop(s.c)
	}
}

// Close stops the loop, waits for Run to return and frees the sidecar.
func (s *Sidecar) Close() error {
	s.Stop()
	s.running.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c != nil {
		C.ws_sidecar_free(s.c)
		s.c = nil
		s.cb.release()
		s.cb = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}
