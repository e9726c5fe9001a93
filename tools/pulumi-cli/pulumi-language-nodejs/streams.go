package main

import (
	"io"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// pluginStreams forwards a plugin's output to the engine as RunPlugin responses. The engine reads the plugin's port
// from the first stdout line, so every write is sent at once, never buffered.
//
// Sends are serialized: stdout and stderr are copied by different goroutines (and the policy proxy adds its own),
// but a gRPC stream must not be written concurrently. Once the call is over (exit code sent, or handler returned)
// late writes are refused instead of touching a finished stream.
type pluginStreams struct {
	mu     sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
	done   bool
}

func newPluginStreams(server pulumirpc.LanguageRuntime_RunPluginServer) *pluginStreams {
	return &pluginStreams{server: server}
}

func (s *pluginStreams) send(msg *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return io.ErrClosedPipe
	}
	return s.server.Send(msg)
}

// stdout and stderr are the writers to give the plugin process.
func (s *pluginStreams) stdout() io.Writer {
	return streamWriter(func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}).with(s)
}

func (s *pluginStreams) stderr() io.Writer {
	return streamWriter(func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	}).with(s)
}

// exit sends the exit code, after which the engine closes the plugin's stdout and stderr.
func (s *pluginStreams) exit(code int) error {
	err := s.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
	s.close()
	return err
}

func (s *pluginStreams) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done = true
}

type streamWriter func([]byte) *pulumirpc.RunPluginResponse

func (wrap streamWriter) with(s *pluginStreams) io.Writer {
	return writerFunc(func(b []byte) (int, error) {
		// gRPC marshals the message before Send returns, so b may be reused by the caller afterwards.
		if err := s.send(wrap(b)); err != nil {
			return 0, err
		}
		return len(b), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
