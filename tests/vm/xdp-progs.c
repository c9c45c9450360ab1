// SPDX-License-Identifier: GPL-2.0
/*
 * XDP programs for tests/vm/xdp.sh, one per section, built by the test with
 * clang's BPF target (no libbpf headers: the few definitions are here).
 * REDIRECT_IFINDEX is given on the command line (-DREDIRECT_IFINDEX=N).
 */
#define SEC(name) __attribute__((section(name), used))

struct xdp_md {
	unsigned int data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex;
};

enum { XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT };

/* BPF_FUNC_redirect */
static long (*bpf_redirect)(unsigned int ifindex, unsigned long long flags) = (void *)23;

SEC("xdp_pass") int prog_pass(struct xdp_md *ctx) { return XDP_PASS; }
SEC("xdp_drop") int prog_drop(struct xdp_md *ctx) { return XDP_DROP; }
SEC("xdp_tx") int prog_tx(struct xdp_md *ctx) { return XDP_TX; }
SEC("xdp_redirect") int prog_redirect(struct xdp_md *ctx)
{
	return bpf_redirect(REDIRECT_IFINDEX, 0);
}

char _license[] SEC("license") = "GPL";
