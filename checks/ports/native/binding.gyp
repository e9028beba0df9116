{
  "targets": [
    {
      "target_name": "tcp_sweep",
      "sources": ["tcp_sweep.c", "sweep.c", "fd_limit.c"],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [
        ["OS!='linux'", { "type": "none" }]
      ]
    }
  ]
}
