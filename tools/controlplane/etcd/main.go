// Command etcd is the etcd server used by mmgate's real-control-plane tests: it only
// hands its arguments to etcd's own entry point (go.etcd.io/etcd/server/v3/etcdmain).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
