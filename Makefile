# SPDX-License-Identifier: GPL-2.0
#
# nfv top-level build.  User space goes to build/, the module is built by
# Kbuild (see Kbuild and kmod/).
#
#   make            user space (+ kmod/nfv.ko when kernel headers exist)
#   make demo       2-NF chain on veth namespaces, module-less backend
#   make demo-chain firewall -> tap(ids) -> nat on real traffic, counters checked
#   make check      all tests (host, then VM when available)
#   make check VM=0 host tests only; VM=1 the VM part even if its tools
#                   are missing (selftests/vm.sh installs them)
#   make mutate     every mutant of selftests/mutations must be killed
#                   by the tests it names (selftests/mutate.sh)
#   make install PREFIX=/usr/local

BUILD	?= build
# The version, in one place: every program's --version and nfv.pc take
# it, with git describe's when built in a checkout.
VERSION	:= 0.2.0
GIT_DESC := $(shell git describe --always --dirty 2>/dev/null)
NFV_VERSION := $(VERSION)$(if $(GIT_DESC), (git $(GIT_DESC)))
PREFIX	?= /usr/local
# Where libnfv and nfv.pc go (Debian's packages: /usr/lib/<triplet>);
# the programs' private files stay in $(PREFIX)/lib/nfv.
LIBDIR	?= $(PREFIX)/lib
V	?= 0

CC	?= gcc
CLANG	?= clang
BPFTOOL	?= bpftool

ifeq ($(V),0)
Q	= @
msg	= @printf '  %-8s %s\n' "$(1)" "$(2)";
else
Q	=
msg	=
endif

WARN	:= -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS	?= -O2 -g
CFLAGS	+= $(WARN) -std=gnu11 -D_GNU_SOURCE -fPIC

# Include paths, per component: a file can include only what its
# component may use.  uapi/ is the contract with the kernel (everyone),
# libnfv/include/ libnfv's public API, proto/ the protocol nfvd and
# libnfv speak to each other (messages, segments, tables, lanes), bpf/
# the layouts BPF programs share with their loaders.  libnfv/ itself
# (internal.h) is libnfv's alone.  tools/common/ is the code nfvd and
# nfvctl share: the attribute tables generated from uapi/nfv.yaml.
INC_API	   := -Iuapi -Ilibnfv/include -I$(BUILD)/gen
INC_LIBNFV := $(INC_API) -Iproto -Ilibnfv
INC_COMMON := $(INC_API) -Itools/common
INC_NFVD   := $(INC_COMMON) -Iproto
INC_NFVCTL := $(INC_COMMON)
INC_NFS	   := $(INC_API)
INC_TOOLS  := $(INC_API)
LDLIBS_BPF := -lxdp -lbpf -lelf -lz
LDLIBS_MNL := -lmnl
LDLIBS_MHD := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)

# SANITIZE=1: all user space (programs, libnfv, selftests) with ASan and
# UBSan; undefined behaviour aborts like an ASan report.  Not the alignment
# check: a 14-byte Ethernet header puts every IP header at 2 mod 4 in the
# UMEM (and in the kernel), and nfv, like the kernel, reads headers in
# place.  BPF objects and the module are built as always.
# docs/testing.md has the details.
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize=alignment \
	     -fno-sanitize-recover=undefined
CFLAGS	+= $(SAN_FLAGS) -fno-omit-frame-pointer
LDFLAGS	+= $(SAN_FLAGS)
# A process that faults must die of SIGSEGV (the tests check that a
# read-only NF writing a frame does), not of ASan's report and exit(1).
# Reports go to files: most processes of a test (nfvd, NFs killed at the
# end) have nobody reading their stderr; make check shows them and fails.
SAN_LOG	:= $(abspath $(BUILD))/sanitizer
export ASAN_OPTIONS ?= handle_segv=0:log_path=$(SAN_LOG)/asan
export UBSAN_OPTIONS ?= print_stacktrace=1:log_path=$(SAN_LOG)/ubsan
endif

# Objects do not depend on the flags they were built with: when the
# compiler or its flags change (SANITIZE=1 and back), everything built
# with them is removed first, so nothing stale gets linked in.  A build
# without $(BUILD)/.build-flags is taken to be a plain one.
BUILD_FLAGS := $(strip $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS))
ifneq ($(filter-out clean fuzz soak,$(or $(MAKECMDGOALS),all)),)
ifeq ($(wildcard $(BUILD)/.build-flags),)
STALE	:= $(filter 1,$(SANITIZE))
else
STALE	:= $(filter-out $(BUILD_FLAGS),$(strip $(shell cat $(BUILD)/.build-flags)))$(filter-out $(strip $(shell cat $(BUILD)/.build-flags)),$(BUILD_FLAGS))
endif
ifneq ($(STALE),)
$(shell rm -rf $(BUILD)/obj $(BUILD)/lib $(BUILD)/bin $(BUILD)/selftests)
endif
$(shell mkdir -p $(BUILD) && echo '$(BUILD_FLAGS)' > $(BUILD)/.build-flags)
endif

# ---- BPF ----------------------------------------------------------------
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -Wall -Werror \
	      -Iuapi -I/usr/include/$(shell uname -m)-linux-gnu
BPF_OBJ	:= $(BUILD)/bpf/nfv_xdp.bpf.o
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(wildcard bpf/*.bpf.c))

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c bpf/*.h uapi/linux/*.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# ---- libnfv -------------------------------------------------------------
LIBNFV_SRCS := $(wildcard libnfv/*.c)
LIBNFV_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIBNFV_SRCS))
LIBNFV_A    := $(BUILD)/lib/libnfv.a
LIBNFV_SO   := $(BUILD)/lib/libnfv.so
NFV_PC      := $(BUILD)/lib/pkgconfig/nfv.pc

$(BUILD)/obj/libnfv/%.o:	INCLUDES = $(INC_LIBNFV)
$(BUILD)/obj/tools/nfvd/%.o:	INCLUDES = $(INC_NFVD)
$(BUILD)/obj/tools/nfvctl/%.o:	INCLUDES = $(INC_NFVCTL)
$(BUILD)/obj/tools/nfvd/config.o: INCLUDES = $(INC_NFVD) -Itools/nfvctl
$(BUILD)/obj/tools/common/%.o:	INCLUDES = $(INC_COMMON)
$(BUILD)/obj/nfs/%.o:		INCLUDES = $(INC_NFS)
$(BUILD)/obj/tools/nfv-%.o:	INCLUDES = $(INC_TOOLS)
$(BUILD)/obj/tools/nfv-pktgen/%.o: INCLUDES = $(INC_TOOLS) -Ibpf
$(BUILD)/obj/tools/nfv-cni/%.o: INCLUDES = $(INC_NFVCTL) -Itools/nfvctl

# nfv_version.h: rewritten only when the version changes, so that only
# what includes it is rebuilt.
VERSION_H := $(BUILD)/gen/nfv_version.h
$(VERSION_H): FORCE
	$(Q)mkdir -p $(@D)
	$(Q)printf '#define NFV_VERSION "%s"\n' '$(NFV_VERSION)' >$@.tmp
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

$(BUILD)/obj/%.o: %.c | $(VERSION_H)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

$(LIBNFV_A): $(LIBNFV_OBJS)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBNFV_SO): $(LIBNFV_OBJS) libnfv/libnfv.map
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -shared $(LDFLAGS) -Wl,--version-script=libnfv/libnfv.map \
		-Wl,-soname,libnfv.so.0 -o $@ $(LIBNFV_OBJS) $(LDLIBS_MNL) $(LDLIBS_BPF)

$(NFV_PC): libnfv/nfv.pc.in $(VERSION_H)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@VERSION@|$(VERSION)|' $< > $@

# ---- NF common code -----------------------------------------------------
# nfs/common/: what the NFs share besides libnfv, headers and the rule
# file reader (match.c); an archive, so that an NF links only what it uses.
NF_COMMON_SRCS := $(wildcard nfs/common/*.c)
NF_COMMON_A    := $(BUILD)/lib/libnfcommon.a

$(NF_COMMON_A): $(patsubst %.c,$(BUILD)/obj/%.o,$(NF_COMMON_SRCS))
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- programs -----------------------------------------------------------
# Each program: a directory whose .c files link into one binary.
COMMON_SRCS := $(wildcard tools/common/*.c)
# nfvd --config reads nfvctl -batch lines with nfvctl's own parser.
NFVCTL_GRAMMAR_SRCS := $(addprefix tools/nfvctl/,config_line.c port.c chain.c \
		       flow.c utils.c json_print.c)
NFVD_SRCS   := $(wildcard tools/nfvd/*.c) $(COMMON_SRCS) $(NFVCTL_GRAMMAR_SRCS)
NFVCTL_SRCS := $(wildcard tools/nfvctl/*.c) $(COMMON_SRCS)
NF_DIRS     := $(filter-out nfs/common/,$(sort $(dir $(wildcard nfs/*/*.c))))
NF_NAMES    := $(patsubst nfs/%/,%,$(NF_DIRS))
NF_BINS     := $(addprefix $(BUILD)/bin/nfv-,$(NF_NAMES))
TOOL_DIRS   := $(filter-out tools/common/ tools/nfvd/ tools/nfvctl/ tools/nfv-run/ tools/vm/ tools/nfv-cni/,$(sort $(dir $(wildcard tools/*/*.c))))
TOOL_BINS   := $(patsubst tools/%/,$(BUILD)/bin/%,$(TOOL_DIRS))

TOOL_SCRIPTS := $(BUILD)/bin/nfv-bench $(BUILD)/bin/nfv-run

# nfv-cni, the CNI plugin: sends nfvctl's own requests (its port and
# chain parsers, its backend) to nfvd; JSON with jansson.
NFV_CNI_SRCS := $(wildcard tools/nfv-cni/*.c) $(COMMON_SRCS) \
		$(addprefix tools/nfvctl/,backend.c port.c chain.c utils.c json_print.c)
LDLIBS_JANSSON := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)

BINS := $(BUILD)/bin/nfvd $(BUILD)/bin/nfvctl $(NF_BINS) $(TOOL_BINS) \
	$(TOOL_SCRIPTS) $(BUILD)/bin/nfv-xskprobe $(BUILD)/bin/nfv-cni

$(BUILD)/bin/nfv-bench: tools/nfv-bench/nfv-bench $(VERSION_H)
	$(Q)mkdir -p $(@D)
	$(Q)sed 's|@NFV_VERSION@|$(NFV_VERSION)|' $< >$@ && chmod 0755 $@

# nfv-run: the sandbox launcher (a script) and its probe (libc only).
$(BUILD)/bin/nfv-run: tools/nfv-run/nfv-run $(VERSION_H)
	$(Q)mkdir -p $(@D)
	$(Q)sed 's|@NFV_VERSION@|$(NFV_VERSION)|' $< >$@ && chmod 0755 $@

$(BUILD)/bin/nfv-xskprobe: tools/nfv-run/xskprobe.c $(VERSION_H)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -I$(BUILD)/gen $(LDFLAGS) -o $@ $<

objs = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

$(BUILD)/bin/nfvd: $(call objs,$(NFVD_SRCS)) $(LIBNFV_A)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_MNL) $(LDLIBS_BPF) $(LDLIBS_MHD)

$(BUILD)/bin/nfvctl: $(call objs,$(NFVCTL_SRCS)) $(LIBNFV_A)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_MNL) $(LDLIBS_BPF)

$(BUILD)/bin/nfv-cni: $(call objs,$(NFV_CNI_SRCS))
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_MNL) $(LDLIBS_JANSSON)

define link_prog
$(1): $$(call objs,$(2)) $(3) $$(LIBNFV_A)
	$$(call msg,LD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS_MNL) $$(LDLIBS_BPF) -lm
endef
$(foreach n,$(NF_NAMES),$(eval $(call link_prog,$(BUILD)/bin/nfv-$(n),$(wildcard nfs/$(n)/*.c),$(NF_COMMON_A))))
$(foreach d,$(TOOL_DIRS),$(eval $(call link_prog,$(patsubst tools/%/,$(BUILD)/bin/%,$(d)),$(wildcard $(d)*.c))))

# ---- top-level targets --------------------------------------------------
# The kernel tools/vm-run boots (tools/vm/kver: Debian's default -amd64).
KVER	?= $(shell tools/vm/kver)
KDIR	?= /lib/modules/$(KVER)/build

all: userspace selftests-build
	$(Q)if [ -d "$(KDIR)" ] && [ -f kmod/Makefile ]; then $(MAKE) kmod; fi

# What make install installs: no tests, no module (the Debian packages
# build this; nfv-dkms builds the module where it is installed).
userspace: $(BPF_OBJS) $(LIBNFV_A) $(LIBNFV_SO) $(NFV_PC) $(BINS)

kmod:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The netlink code generated from uapi/nfv.yaml by the kernel's ynl-gen-c
# (tools/ynl-regen; checked in, and selftests/ynl_regen.sh fails when
# this would change anything).
regen:
	$(Q)tools/ynl-regen

selftests-build: $(LIBNFV_A) $(NF_COMMON_A) $(BPF_OBJ)
	$(Q)$(MAKE) -s -C selftests BUILD=$(abspath $(BUILD)) CC="$(CC)" \
		EXTRA_CFLAGS="$(SAN_FLAGS)" \
		EXTRA_LDFLAGS="$(LDFLAGS)"

deps:
	$(Q)tools/install-deps

demo: deps all
	$(Q)tools/demo.sh

demo-chain: deps all
	$(Q)tools/demo-chain.sh

# The VM part (selftests/vm.sh: nfv.ko in a Debian VM under qemu/TCG)
# runs after the host part when qemu and a bootable -amd64 kernel with
# its headers are installed (tools/install-deps --vm), or with VM=1.
VM	?= auto
ifeq ($(VM),auto)
VM_OK	:= $(shell command -v qemu-system-x86_64 >/dev/null && \
	     [ -n "$(KVER)" ] && [ -e /boot/vmlinuz-$(KVER) ] && \
	     [ -d $(KDIR) ] && echo 1)
else ifeq ($(VM),1)
VM_OK	:= 1
endif
CHECK_ARGS := $(if $(VM_OK),--vm)

check: deps all
ifeq ($(SANITIZE),1)
	$(Q)rm -rf $(SAN_LOG) && mkdir -p $(SAN_LOG)
	$(Q)selftests/run.sh $(CHECK_ARGS); rc=$$?; \
	if [ -n "$$(ls -A $(SAN_LOG))" ]; then \
		for f in $(SAN_LOG)/*; do echo "== $$f"; head -n 60 "$$f"; done; \
		echo "check: sanitizer reports in $(SAN_LOG)"; rc=1; \
	fi; exit $$rc
else
	$(Q)selftests/run.sh $(CHECK_ARGS)
endif

# libFuzzer targets (fuzz/Makefile): build, then FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(Q)$(MAKE) -s -C fuzz BUILD=$(abspath $(BUILD)) FUZZ_SECONDS=$(FUZZ_SECONDS) run

# Traffic through a replicated 3-NF chain while NFs are killed and
# restarted, SOAK_SECONDS (default 600); then accounting and RSS checks.
soak: deps all
	$(Q)selftests/soak.sh

# Mutation testing: each mutant of selftests/mutations built in a scratch
# copy (build/mutate) and the tests it names run; all must be killed.
mutate: deps all
	$(Q)selftests/mutate.sh $(MUTANTS)

.PHONY: fuzz soak mutate

bench: deps all
	$(Q)$(BUILD)/bin/nfv-bench

# OCI image of every NF (docs/containers.md).
image: deps $(NF_BINS) $(BUILD)/bin/nfv-xskprobe
	$(Q)BUILD=$(BUILD) tools/image/build-image $(NF_BINS) $(BUILD)/bin/nfv-xskprobe

# Manual pages (man/man3, man/man8), checked by selftests/man.sh (part
# of make check; make check-man runs it alone).
MAN3	:= $(wildcard man/man3/*.3)
MAN8	:= $(wildcard man/man8/*.8)

check-man: deps all
	$(Q)NFV_TESTS=selftests/man.sh selftests/run.sh

# Debian packages (debian/; tools/build-deb): nfv, libnfv0, libnfv-dev,
# nfv-dkms into $(BUILD)/deb.  check-deb (selftests/deb.sh) builds them,
# then in the VM installs them, loads the nfv.ko DKMS built, runs the
# demo chain on the installed programs and purges them.
deb:
	$(Q)tools/install-deps --pkg
	$(Q)tools/build-deb $(BUILD)/deb

check-deb: all
	$(Q)tools/install-deps --vm --pkg
	$(Q)NFV_TESTS=selftests/deb.sh selftests/run.sh

.PHONY: check-man deb check-deb

# Installed as the FHS has it: nfvd in sbin, the CLI, the NFs and nfv-run
# in bin, the BPF objects and the test tools (nfv-pktgen, nfv-xskbench)
# in lib/nfv, out of PATH; nfv-bench runs from the source tree.  nfv.pc
# is written for the PREFIX installed to.  `make uninstall` (same PREFIX
# and DESTDIR) removes exactly what `make install` put.
I_BIN	  := $(DESTDIR)$(PREFIX)/bin
I_SBIN	  := $(DESTDIR)$(PREFIX)/sbin
I_LIB	  := $(DESTDIR)$(PREFIX)/lib
I_LIBDIR  := $(DESTDIR)$(LIBDIR)
I_LIBEXEC := $(I_LIB)/nfv
I_INC	  := $(DESTDIR)$(PREFIX)/include
I_MAN	  := $(DESTDIR)$(PREFIX)/share/man
I_UNITS	  := $(I_LIB)/systemd/system
I_COMPL	  := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
# CNI plugins: Debian's containernetworking-plugins are in /usr/lib/cni.
I_CNI	:= $(DESTDIR)$(PREFIX)/lib/cni
USER_BINS := $(BUILD)/bin/nfvctl $(NF_BINS) $(BUILD)/bin/nfv-run \
	     $(BUILD)/bin/nfv-xskprobe
TEST_BINS := $(BUILD)/bin/nfv-pktgen $(BUILD)/bin/nfv-xskbench

install: userspace
	install -d $(I_BIN) $(I_SBIN) $(I_LIBEXEC) $(I_LIBDIR)/pkgconfig \
		$(I_INC)/nfv $(I_INC)/linux $(I_MAN)/man3 $(I_MAN)/man8 \
		$(I_UNITS) $(I_COMPL) $(I_CNI)
	install -m 0755 $(BUILD)/bin/nfvd $(I_SBIN)/
	install -m 0755 $(BUILD)/bin/nfv-cni $(I_CNI)/
	install -m 0755 $(USER_BINS) $(I_BIN)/
	install -m 0755 $(TEST_BINS) $(I_LIBEXEC)/
	install -m 0644 $(BPF_OBJS) $(I_LIBEXEC)/
	install -m 0644 $(LIBNFV_A) $(I_LIBDIR)/
	install -m 0755 $(LIBNFV_SO) $(I_LIBDIR)/libnfv.so.0
	ln -sf libnfv.so.0 $(I_LIBDIR)/libnfv.so
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@VERSION@|$(VERSION)|' \
		libnfv/nfv.pc.in >$(I_LIBDIR)/pkgconfig/nfv.pc
	install -m 0644 libnfv/include/nfv/*.h $(I_INC)/nfv/
	install -m 0644 uapi/linux/nfv*.h $(I_INC)/linux/
	install -m 0644 $(MAN3) $(I_MAN)/man3/
	install -m 0644 $(MAN8) $(I_MAN)/man8/
	install -m 0644 tools/nfvctl/nfvctl.bash-completion $(I_COMPL)/nfvctl
	sed 's|@SBINDIR@|$(PREFIX)/sbin|' tools/systemd/nfvd.service \
		>$(I_UNITS)/nfvd.service
	install -m 0644 tools/systemd/nfvd.socket $(I_UNITS)/

uninstall:
	rm -f $(I_SBIN)/nfvd $(I_CNI)/nfv-cni \
	      $(addprefix $(I_BIN)/,$(notdir $(USER_BINS))) \
	      $(addprefix $(I_LIBEXEC)/,$(notdir $(TEST_BINS) $(BPF_OBJS))) \
	      $(I_LIBDIR)/libnfv.a $(I_LIBDIR)/libnfv.so.0 $(I_LIBDIR)/libnfv.so \
	      $(I_LIBDIR)/pkgconfig/nfv.pc \
	      $(addprefix $(I_INC)/nfv/,$(notdir $(wildcard libnfv/include/nfv/*.h))) \
	      $(addprefix $(I_INC)/linux/,$(notdir $(wildcard uapi/linux/nfv*.h))) \
	      $(addprefix $(I_MAN)/man3/,$(notdir $(MAN3))) \
	      $(addprefix $(I_MAN)/man8/,$(notdir $(MAN8))) \
	      $(I_COMPL)/nfvctl $(I_UNITS)/nfvd.service $(I_UNITS)/nfvd.socket
	-rmdir $(I_LIBEXEC) $(I_INC)/nfv $(I_CNI) 2>/dev/null

clean:
	rm -rf $(BUILD)
	$(Q)if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1 || true; fi

.PHONY: all userspace kmod regen deps demo demo-chain check bench image install uninstall clean selftests-build
.DEFAULT_GOAL := all

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
