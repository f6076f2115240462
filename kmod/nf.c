// SPDX-License-Identifier: GPL-2.0
/*
 * NF lifecycle: one open file of the misc device /dev/nfv is one NF.
 *
 *   open                 an NF without an id, in the opener's netns fabric
 *   NFV_IOC_ATTACH       id, service, name, pid: state ATTACHING
 *   NFV_IOC_READY        joins its service's replica set: state UP
 *   last close           leaves the replica set, the table written; after
 *                        synchronize_net() no XDP program can steer to it
 *                        any more, and NF_EVENT (state DEAD) goes out so
 *                        nfvd reclaims the frames the NF held
 *
 * The kernel closes the file of a process that dies, however it dies, so
 * no table ever points at a dead NF.  An open file holds a reference on
 * the module: rmmod is refused while an NF is attached.
 *
 * Writers of fab->nfs[] and of an NF's fields: fab->lock holders.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/netdevice.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "fabric.h"
#include "netlink.h"
#include "nf.h"
#include "service.h"

static struct kmem_cache *nf_cache;

static int nf_open(struct inode *inode, struct file *file)
{
	struct nfv_nf *nf = kmem_cache_zalloc(nf_cache, GFP_KERNEL);

	if (!nf)
		return -ENOMEM;
	nf->net = get_net(current->nsproxy->net_ns);
	nf->fab = nfv_fabric(nf->net);
	nf->state = NFV_NF_STATE_NONE;
	file->private_data = nf;
	return 0;
}

/* Round robin, so an id comes back only after all others were used. */
static u16 alloc_id(struct nfv_fabric *fab)
{
	int i;

	lockdep_assert_held(&fab->lock);
	for (i = 1; i < NFV_NF_MAX; i++) {
		u16 id = (fab->nf_last + i) % NFV_NF_MAX;

		if (id && !fab->nfs[id]) {
			fab->nf_last = id;
			return id;
		}
	}
	return 0;
}

static long nf_attach(struct nfv_nf *nf, struct nfv_dev_attach __user *uarg)
{
	struct nfv_fabric *fab = nf->fab;
	struct nfv_dev_attach arg;
	struct pid *pid;
	long err = 0;
	u16 id;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!arg.service || arg.service > NFV_SERVICE_MAX)
		return -ERANGE;
	if (arg.flags & ~(u32)__NFV_NF_F_ALL)
		return -EOPNOTSUPP;
	if (arg.pad || arg.id || !memchr(arg.name, '\0', sizeof(arg.name)))
		return -EINVAL;
	pid = arg.pid ? find_get_pid(arg.pid) : get_task_pid(current,
							       PIDTYPE_TGID);
	if (!pid)
		return -ESRCH;

	mutex_lock(&fab->lock);
	if (!fab->alive) {
		err = -ENODEV;
		goto out;
	}
	if (nf->state != NFV_NF_STATE_NONE) {
		err = -EBUSY;
		goto out;
	}
	id = alloc_id(fab);
	if (!id) {
		err = -ENOSPC;
		goto out;
	}
	nf->id = id;
	nf->service = arg.service;
	nf->flags = arg.flags;
	nf->pid = pid;
	pid = NULL;
	strscpy(nf->name, arg.name, sizeof(nf->name));
	nf->state = NFV_NF_STATE_ATTACHING;
	fab->nfs[id] = nf;
	nfv_fabric_changed(fab);
	nfv_netlink_notify_nf(fab, nf);
out:
	mutex_unlock(&fab->lock);
	put_pid(pid);
	if (!err && put_user(nf->id, &uarg->id))
		err = -EFAULT;	/* attached all the same; NF_GET shows it */
	return err;
}

static long nf_ready(struct nfv_nf *nf)
{
	struct nfv_fabric *fab = nf->fab;
	long err;

	mutex_lock(&fab->lock);
	switch (nf->state) {
	case NFV_NF_STATE_ATTACHING:
		err = nfv_service_add(fab, nf->service, nf->id);
		if (err)
			break;
		nf->state = NFV_NF_STATE_UP;
		nfv_fabric_changed(fab);
		nfv_netlink_notify_nf(fab, nf);
		break;
	case NFV_NF_STATE_UP:
		err = -EALREADY;
		break;
	default:
		err = -ENOTCONN;	/* not attached */
		break;
	}
	mutex_unlock(&fab->lock);
	return err;
}

static long nf_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct nfv_nf *nf = file->private_data;

	switch (cmd) {
	case NFV_IOC_ATTACH:
		return nf_attach(nf, (struct nfv_dev_attach __user *)arg);
	case NFV_IOC_READY:
		return nf_ready(nf);
	default:
		return -ENOTTY;
	}
}

static int nf_release(struct inode *inode, struct file *file)
{
	struct nfv_nf *nf = file->private_data;
	struct nfv_fabric *fab = nf->fab;
	bool was_up;

	mutex_lock(&fab->lock);
	was_up = nf->state == NFV_NF_STATE_UP;
	if (nf->id) {
		if (was_up)
			nfv_service_del(fab, nf->service, nf->id);
		fab->nfs[nf->id] = NULL;
		nf->state = NFV_NF_STATE_DEAD;
		nfv_fabric_changed(fab);
	}
	mutex_unlock(&fab->lock);

	if (nf->id) {
		/* No XDP program still reads a bucket pointing at it. */
		if (was_up)
			synchronize_net();
		nfv_netlink_notify_nf(fab, nf);
	}
	put_pid(nf->pid);
	put_net(nf->net);
	kmem_cache_free(nf_cache, nf);
	return 0;
}

static const struct file_operations nf_fops = {
	.owner = THIS_MODULE,
	.open = nf_open,
	.release = nf_release,
	.unlocked_ioctl = nf_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice nf_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = NFV_DEV_NAME,
	.fops = &nf_fops,
	.mode = 0600,
};

int nfv_nf_init(void)
{
	int err;

	nf_cache = KMEM_CACHE(nfv_nf, 0);
	if (!nf_cache)
		return -ENOMEM;
	err = misc_register(&nf_dev);
	if (err)
		kmem_cache_destroy(nf_cache);
	return err;
}

/* kmem_cache_destroy() complains loudly if an NF leaked. */
void nfv_nf_uninit(void)
{
	misc_deregister(&nf_dev);
	kmem_cache_destroy(nf_cache);
}
